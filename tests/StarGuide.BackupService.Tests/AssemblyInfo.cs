using System.Runtime.Versioning;

// The tests check Unix modes, links, sockets and a tmpfs: they run where the service runs, on Linux.
[assembly: SupportedOSPlatform("linux")]
