using Microsoft.Extensions.Options;

namespace StarGuide.Scaler.Drivers.Process;

/// <summary>Makes <see cref="ProcessDriver"/>s and checks their settings.</summary>
/// <remarks>The scope is read when a driver is made, not injected: the scaler's options it comes from are validated with this factory's help.</remarks>
internal sealed class ProcessDriverFactory(IServiceProvider services, TimeProvider time, ILoggerFactory loggers) : IInstanceDriverFactory
{
    public const string DriverKind = "process";

    public string Kind => DriverKind;

    public IEnumerable<string> Validate(string poolKey, PoolDriverOptions pool)
    {
        var key = $"{poolKey}:Process";
        var options = pool.Process;
        if (string.IsNullOrWhiteSpace(options.Command))
        {
            yield return $"{key}:Command is required: the program each instance runs, e.g. dotnet or uvicorn.";
        }
        var sample = new ProcessTemplate("pool", "pool-1", 1, 8001);
        if (!Uri.TryCreate(sample.Fill(options.Address), UriKind.Absolute, out var address)
            || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{key}:Address must be an http:// or https:// address template such as http://127.0.0.1:{{port}}; it is '{options.Address}'.";
        }
        if (!string.IsNullOrWhiteSpace(options.WorkingDirectory) && !options.WorkingDirectory.Contains('{') && !Directory.Exists(options.WorkingDirectory))
        {
            yield return $"{key}:WorkingDirectory '{options.WorkingDirectory}' does not exist.";
        }
        for (var i = 0; i < options.Environment.Count; i++)
        {
            if (options.Environment[i].IndexOf('=') <= 0)
            {
                yield return $"{key}:Environment:{i} must be NAME=value; it is '{options.Environment[i]}'.";
            }
        }
        if (!OperatingSystem.IsLinux())
        {
            yield return $"{poolKey}:Driver 'process' runs on Linux only (it finds its instances again through /proc).";
        }
    }

    public IInstanceDriver Create(string pool, PoolDriverOptions options) =>
        new ProcessDriver(pool, services.GetRequiredService<IOptions<DriverScopeOptions>>().Value.Scope, options.Process, time, loggers.CreateLogger($"StarGuide.Scaler.Instances.{pool}"));
}
