using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using StarGuide.SampleBackend;
using StarGuide.SampleFrontend;

namespace StarGuide.SampleApps.Tests;

/// <summary>The backend in memory, with a known instance id and any extra <c>Sample:*</c> settings.</summary>
public sealed class BackendFactory : WebApplicationFactory<SampleBackendMarker>
{
    public const string InstanceId = "backend-test-1";

    private readonly Dictionary<string, string> _settings = new() { ["Sample:InstanceId"] = InstanceId };

    public BackendFactory With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>The front end in memory, with a known instance id.</summary>
public sealed class FrontendFactory : WebApplicationFactory<SampleFrontendMarker>
{
    public const string InstanceId = "frontend-test-1";

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("Sample:InstanceId", InstanceId);
}
