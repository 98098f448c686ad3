"""The signed-in reader's account settings pages."""
