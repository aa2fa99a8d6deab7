window.__THAR_CONFIG = {
  "userInfo" : {
    "accountId" : "1400000000000000001",
    "userName" : "sam_okafor",
    "displayName" : "Sam Okafor"
  },
  "archiveInfo" : {
    "sizeBytes" : "48213",
    "generationDate" : "2026-02-01T10:00:00.000Z",
    "isPartialArchive" : false,
    "maxPartSizeBytes" : "53687091200"
  },
  "dataTypes" : {
    "tweets" : {
      "files" : [
        {
          "fileName" : "data/tweets.js",
          "globalName" : "YTD.tweets.part0",
          "count" : "6"
        }
      ]
    },
    "noteTweet" : {
      "files" : [
        {
          "fileName" : "data/note-tweet.js",
          "globalName" : "YTD.note_tweet.part0",
          "count" : "1"
        }
      ]
    }
  }
}
