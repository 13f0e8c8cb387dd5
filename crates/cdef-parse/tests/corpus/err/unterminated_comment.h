int x /* unterminated
