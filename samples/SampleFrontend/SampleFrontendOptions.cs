using Microsoft.Extensions.Options;

namespace StarGuide.SampleFrontend;

/// <summary>Settings from the <c>Sample</c> configuration section (e.g. <c>Sample__InstanceId=web-1</c>).</summary>
internal sealed class SampleFrontendOptions
{
    public const string Section = "Sample";

    /// <summary>Names this instance in the <c>X-Instance-Id</c> header and in <c>/healthz</c>.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";
}

internal static class SampleFrontendOptionsRegistration
{
    /// <summary>Binds <see cref="SampleFrontendOptions"/> and refuses to start with a bad value.</summary>
    public static IServiceCollection AddSampleFrontendOptions(this IServiceCollection services)
    {
        services.AddOptions<SampleFrontendOptions>()
            .BindConfiguration(SampleFrontendOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SampleFrontendOptions>, SampleFrontendOptionsValidator>();
        return services;
    }
}
