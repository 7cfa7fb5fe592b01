"""The remembrance-day kit: share cards (`cards`), the printed catalogue (`catalogue`) and the
kiosk (`kiosk`), each only from what consent allows in an exhibition."""
