"""Services: the only code that writes. One function per action, keyword-only arguments."""
