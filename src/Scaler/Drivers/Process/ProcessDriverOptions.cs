namespace StarGuide.Scaler.Drivers.Process;

/// <summary>
/// Settings of the <c>process</c> driver (section <c>Scaler:Pools:&lt;pool&gt;:Process</c>): each instance is a
/// local process started from a command template. In <see cref="Command"/>, <see cref="Arguments"/>,
/// <see cref="Environment"/> values and <see cref="WorkingDirectory"/>, <c>{port}</c> is a free loopback port chosen
/// for the instance, <c>{id}</c> the instance id, <c>{index}</c> its number and <c>{pool}</c> the pool's name, e.g. the
/// seed's <c>uvicorn server:app --host 127.0.0.1 --port {port}</c>.
/// </summary>
internal sealed class ProcessDriverOptions
{
    /// <summary>The program to run, a path or a name on <c>PATH</c>, e.g. <c>dotnet</c> or <c>uvicorn</c>.</summary>
    public string Command { get; set; } = "";

    /// <summary>Its arguments, one per entry.</summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>
    /// Extra environment variables for the instance, one <c>NAME=value</c> per entry (a list rather than a section, so
    /// that names with <c>__</c> such as <c>Logging__LogLevel__Default</c> survive configuration binding).
    /// </summary>
    public List<string> Environment { get; set; } = [];

    /// <summary>Working directory; empty: the scaler's own.</summary>
    public string WorkingDirectory { get; set; } = "";

    /// <summary>The instance's address; the gateway forwards to it and the monitor probes it.</summary>
    public string Address { get; set; } = "http://127.0.0.1:{port}";

    /// <summary>
    /// Folder for each instance's output file (<c>&lt;id&gt;.log</c>), which the scaler copies into its own log with
    /// the instance id and which outlives a scaler restart; empty: <c>starguide-scaler/&lt;pool&gt;</c> in the
    /// temporary folder.
    /// </summary>
    public string OutputDirectory { get; set; } = "";
}
