using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace StarGuide.IntegrationTests.Support;

/// <summary>One StarGuide service hosted in the test process with the given configuration.</summary>
public sealed class ServiceFactory<TAssemblyMarker>(IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<TAssemblyMarker>
    where TAssemblyMarker : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
