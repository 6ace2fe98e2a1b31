using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StarGuide.Testing;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>
/// The backup service hosted in the test process on a real Kestrel socket at 127.0.0.1, so that the allow-list sees
/// a real TCP peer address, with the given settings (broker, sources, destination) and the tests' management tokens
/// (<see cref="TestManagement"/>).
/// </summary>
internal sealed class BackupServiceFactory : WebApplicationFactory<BackupServiceAssembly>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public BackupServiceFactory(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>What the service logged last, for a failure message.</summary>
    public RingBufferLoggerProvider Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
        foreach (var (key, value) in TestManagement.Settings.Concat(_settings))
        {
            builder.UseSetting(key, value);
        }
    }
}
