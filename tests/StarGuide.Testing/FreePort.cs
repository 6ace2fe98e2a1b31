namespace StarGuide.Testing;

/// <summary>Finds TCP ports on the loopback interface that nothing listens on right now.</summary>
public static class FreePort
{
    /// <summary>
    /// <see cref="ServiceDefaults.Networks.FreePort.Next"/>: a port that was free a moment ago, never one of the last
    /// ports handed out in this process (the tests' and the services' alike share that memory).
    /// </summary>
    public static int Next() => ServiceDefaults.Networks.FreePort.Next();
}
