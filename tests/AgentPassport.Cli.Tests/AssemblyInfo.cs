using System.Runtime.Versioning;

// The suite asserts Unix file modes and drives the tool through /bin/sh.
[assembly: UnsupportedOSPlatform("windows")]
