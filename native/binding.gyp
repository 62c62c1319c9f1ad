{
  "targets": [
    {
      "target_name": "forkscope_native",
      "sources": [
        "src/addon.cc",
        "src/errno_name.cc",
        "src/proc_files.cc",
        "src/netlink_socket.cc",
        "src/thread_priority.cc",
        "src/system_bus.cc",
        "src/libdbus.cc",
        "src/realtime_kit.cc",
        "src/priority_probe.cc",
        "src/event_batch.cc",
        "src/ndjson_renderer.cc",
        "src/utf8.cc",
        "src/proc_connector_reader.cc",
        "src/proc_connector_reader_binding.cc",
        "src/scanner.cc",
        "src/identity_signal.cc",
        "src/capture_helper.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter", "-O2"],
      "libraries": ["-lpthread", "-ldl"]
    },
    {
      "target_name": "forkscope-helper",
      "type": "executable",
      "sources": ["helper/forkscope_helper.c"],
      "cflags": ["-std=c11", "-Wall", "-Wextra", "-O2", "-D_FORTIFY_SOURCE=2", "-fstack-protector-strong", "-fPIE"],
      "ldflags": ["-pie", "-Wl,-z,relro,-z,now"]
    }
  ]
}
