window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "id_str" : "1",
      "created_at" : "Fri Mar 06 13:02:05 +0000 2026",
      "full_text" : "café latin-1 byte"
    }
  }
]
