"""The customer evaluation survey (服务质量用户(顾客)评价调查表), answered online: the office's
settings per campaign, each packet's survey with its short link and QR code, the customers'
answers with their integrity flags, and the figures reviewers read and versions freeze."""
