window.YTD.note_tweet.part0 = [
  {
    "noteTweet" : {
      "noteTweetId" : "1755000000000000060",
      "updatedAt" : "2024-02-10T09:30:00.000Z",
      "lifecycle" : {
        "value" : "live",
        "name" : "Live",
        "originalName" : "live",
        "annotations" : { }
      },
      "createdAt" : "2024-02-10T09:30:00.000Z",
      "core" : {
        "styletags" : [ ],
        "urls" : [ ],
        "text" : "A longer note on why I stopped using commercial yeast.\n\nIt started as an experiment during a snowed-in week: flour, water, patience. Three years later the starter has a name, a feeding schedule and opinions of its own.",
        "mentions" : [ ],
        "cashtags" : [ ],
        "hashtags" : [ ]
      }
    }
  }
]
