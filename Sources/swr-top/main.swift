print("swr-top")
