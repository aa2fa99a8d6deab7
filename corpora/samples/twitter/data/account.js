window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "sam.okafor@example.org",
      "createdVia" : "web",
      "username" : "sam_okafor",
      "accountId" : "1400000000000000001",
      "createdAt" : "2021-06-01T09:00:00.000Z",
      "accountDisplayName" : "Sam Okafor"
    }
  }
]
