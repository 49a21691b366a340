{
  "targets": [
    {
      "target_name": "lineage",
      "sources": [
        "src/addon.c",
        "src/args.c",
        "src/graph.c",
        "src/jobs.c",
        "src/call_read.c",
        "src/method.c",
        "src/methods.c",
        "src/ops_assets.c",
        "src/ops_queries.c",
        "src/ops_db.c",
        "src/ops_io.c",
        "src/ops_views.c",
        "src/result_js.c",
        "src/sql.c",
        "src/words.c"
      ],
      "defines": ["NAPI_VERSION=8", "_POSIX_C_SOURCE=200809L"],
      "include_dirs": ["<!@(node scripts/config.js include_dirs)"],
      "cflags": ["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Wshadow",
                 "-Wstrict-prototypes", "-Wmissing-prototypes", "-Werror"],
      "cflags!": ["-fno-exceptions"],
      "libraries": ["<!@(node scripts/config.js libraries)"],
      "ldflags": ["<!@(node scripts/config.js ldflags)"]
    }
  ]
}
