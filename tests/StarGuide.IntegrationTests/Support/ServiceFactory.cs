using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Support;

/// <summary>
/// One StarGuide service hosted in the test process with the given configuration and the tests' management tokens;
/// its requests come from 127.0.0.1 (<see cref="LoopbackPeer"/>).
/// </summary>
public sealed class ServiceFactory<TAssemblyMarker>(IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<TAssemblyMarker>
    where TAssemblyMarker : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in TestManagement.Settings.Concat(settings))
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, LoopbackPeer>());
    }
}
