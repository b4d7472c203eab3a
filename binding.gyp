{
  "targets": [
    {
      "target_name": "crm_stat",
      "conditions": [
        ["OS!='win'", { "sources": ["native/stat.c", "native/read.c"], "cflags": ["-O2", "-std=gnu11"] }]
      ]
    }
  ]
}
