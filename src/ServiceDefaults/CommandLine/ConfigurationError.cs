using Microsoft.Extensions.Options;

namespace StarGuide.ServiceDefaults.CommandLine;

/// <summary>
/// Tells a configuration error (a setting missing or wrong, which the operator fixes) from a fault (which wants its
/// stack trace), and says it in one line.
/// </summary>
internal static class ConfigurationError
{
    /// <summary>
    /// The one-line cause when <paramref name="exception"/> is a configuration error, else null. Configuration errors
    /// are options that failed validation, and <see cref="InvalidOperationException"/>s thrown by the services' own
    /// set-up code (the checks such as "ConnectionStrings:rabbitmq is not set") or by the configuration binder (a value
    /// that does not convert to its key's type). The same exception thrown by anything else (the DI container, a
    /// library) is a fault and keeps its stack trace.
    /// </summary>
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => OneLine(validation.Message),
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0
            && aggregate.InnerExceptions.All(e => Describe(e) is not null)
            => string.Join(" ", aggregate.InnerExceptions.Select(e => Describe(e))),
        InvalidOperationException when ThrownBySetUpCode(exception) => OneLine(exception.Message),
        _ => null,
    };

    private static bool ThrownBySetUpCode(Exception exception)
    {
        var assembly = exception.TargetSite?.DeclaringType?.Assembly.GetName().Name;
        return assembly is not null
            && (assembly.StartsWith("StarGuide.", StringComparison.Ordinal)
                || assembly == "Microsoft.Extensions.Configuration.Binder");
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
