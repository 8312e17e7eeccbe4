"""Re-evaluation (复评) of an honour in its third year: the holder's unit reports, the channel
and the office review, the organizers renew the title for three more years or let it lapse."""
