using Microsoft.Extensions.Options;

namespace StarGuide.SampleBackend;

/// <summary>Settings from the <c>Sample</c> configuration section (e.g. <c>Sample__AiDelay=00:00:05</c>).</summary>
internal sealed class SampleBackendOptions
{
    public const string Section = "Sample";

    /// <summary>The longest <see cref="AiDelay"/> (and <c>?delayMs=</c>) allowed: five minutes.</summary>
    public static readonly TimeSpan MaxAiDelay = TimeSpan.FromMinutes(5);

    /// <summary>Names this instance in the <c>X-Instance-Id</c> header, the JSON answers and the metrics.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How long a call under <c>/api/ai/</c> takes unless the request asks for another delay.</summary>
    public TimeSpan AiDelay { get; set; } = TimeSpan.FromSeconds(2);
}

internal static class SampleBackendOptionsRegistration
{
    /// <summary>Binds <see cref="SampleBackendOptions"/> and refuses to start with a bad value.</summary>
    public static IServiceCollection AddSampleBackendOptions(this IServiceCollection services)
    {
        services.AddOptions<SampleBackendOptions>()
            .BindConfiguration(SampleBackendOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SampleBackendOptions>, SampleBackendOptionsValidator>();
        return services;
    }
}
