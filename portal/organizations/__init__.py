"""Organizations: enterprises, channel organizations and organizers, districts and industries."""
