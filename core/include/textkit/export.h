// textkit - export macros.
#pragma once

// Everything is hidden by default (-fvisibility=hidden). The plugin API and the host entry points
// are exported through TEXTKIT_API, so that their vtables and typeinfo live in libtextkit_core.so
// only and exceptions thrown in a plugin are caught by type in the host.
#define TEXTKIT_API __attribute__((visibility("default")))

// What a plugin exports: its descriptor entry point, and nothing else.
#define TEXTKIT_PLUGIN_EXPORT __attribute__((visibility("default")))
