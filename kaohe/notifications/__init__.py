"""One inbox for every app: in-app notifications (the bell), with email alongside."""
