"""What is known of languages: identification, word frequencies, spelling dictionaries, English
word classes, typography conventions, pinyin."""
