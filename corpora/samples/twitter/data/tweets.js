window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1750000000000000010"
          ],
          "editableUntil" : "2024-01-24T11:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [
          {
            "url" : "https://t.co/AbCdEf1234",
            "expanded_url" : "https://example.org/blog/sourdough-at-altitude",
            "display_url" : "example.org/blog/sourdough…",
            "indices" : [
              "70",
              "93"
            ]
          }
        ]
      },
      "display_text_range" : [
        "0",
        "93"
      ],
      "favorite_count" : "12",
      "id_str" : "1750000000000000010",
      "truncated" : false,
      "retweet_count" : "2",
      "id" : "1750000000000000010",
      "created_at" : "Wed Jan 24 10:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "Sourdough at 1,500 m: less yeast &amp; a longer, cooler proof. Notes: https://t.co/AbCdEf1234",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1751000000000000020",
            "1751000000000000021"
          ],
          "editableUntil" : "2024-01-27T09:00:00.000Z",
          "editsRemaining" : "4",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ]
      },
      "display_text_range" : [
        "0",
        "44"
      ],
      "favorite_count" : "0",
      "id_str" : "1751000000000000020",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1751000000000000020",
      "created_at" : "Sat Jan 27 08:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "Teh first loaf of the year came out perfect.",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1751000000000000020",
            "1751000000000000021"
          ],
          "editableUntil" : "2024-01-27T09:00:00.000Z",
          "editsRemaining" : "4",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ],
        "media" : [
          {
            "expanded_url" : "https://x.com/sam_okafor/status/1751000000000000021/photo/1",
            "indices" : [
              "45",
              "68"
            ],
            "url" : "https://t.co/PhOtO98765",
            "media_url_https" : "https://pbs.twimg.com/media/GExample.jpg",
            "id_str" : "1751000000000000099",
            "id" : "1751000000000000099",
            "type" : "photo",
            "display_url" : "pic.x.com/PhOtO98765"
          }
        ]
      },
      "display_text_range" : [
        "0",
        "44"
      ],
      "favorite_count" : "31",
      "id_str" : "1751000000000000021",
      "truncated" : false,
      "retweet_count" : "1",
      "id" : "1751000000000000021",
      "possibly_sensitive" : false,
      "created_at" : "Sat Jan 27 08:05:00 +0000 2024",
      "favorited" : false,
      "full_text" : "The first loaf of the year came out perfect. https://t.co/PhOtO98765",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1752000000000000030"
          ],
          "editableUntil" : "2024-01-30T19:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Ada Bakes",
            "screen_name" : "adabakes",
            "indices" : [
              "0",
              "9"
            ],
            "id_str" : "1300000000000000002",
            "id" : "1300000000000000002"
          }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [
        "10",
        "62"
      ],
      "favorite_count" : "3",
      "in_reply_to_status_id_str" : "1751900000000000000",
      "id_str" : "1752000000000000030",
      "in_reply_to_user_id" : "1300000000000000002",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1752000000000000030",
      "in_reply_to_status_id" : "1751900000000000000",
      "created_at" : "Tue Jan 30 18:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "@adabakes Rye starter, 100% hydration — fed twice a day 🙂",
      "lang" : "en",
      "in_reply_to_screen_name" : "adabakes",
      "in_reply_to_user_id_str" : "1300000000000000002"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1753000000000000040"
          ],
          "editableUntil" : "2024-02-02T13:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Ada Bakes",
            "screen_name" : "adabakes",
            "indices" : [
              "3",
              "12"
            ],
            "id_str" : "1300000000000000002",
            "id" : "1300000000000000002"
          }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [
        "0",
        "140"
      ],
      "favorite_count" : "0",
      "id_str" : "1753000000000000040",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1753000000000000040",
      "created_at" : "Fri Feb 02 12:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "RT @adabakes: Ten things nobody tells you about laminated dough, a thread. 1/ Your butter and your dough must be the same temperature, or the…",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1754000000000000050"
          ],
          "editableUntil" : "2024-02-05T08:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : false
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [
          {
            "text" : "bread",
            "indices" : [
              "37",
              "43"
            ]
          }
        ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ]
      },
      "display_text_range" : [
        "0",
        "43"
      ],
      "favorite_count" : "5",
      "id_str" : "1754000000000000050",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1754000000000000050",
      "created_at" : "Mon Feb 05 07:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "Crumb shot &gt; any other photo. &lt;3 #bread",
      "lang" : "en"
    }
  }
]
