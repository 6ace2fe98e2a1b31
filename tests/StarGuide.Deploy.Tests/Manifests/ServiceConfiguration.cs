using System.Reflection;
using System.Text.RegularExpressions;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.Deploy.Tests.Manifests;

/// <summary>
/// What configuration a service reads, found in its code: the options classes it binds (their <c>SectionName</c> or
/// <c>Section</c> constant), and the connection strings its sources ask for.
/// </summary>
internal static partial class ServiceConfiguration
{
    /// <summary>
    /// Keys read by ASP.NET Core itself, not by an options class: the environment name (which appsettings file is
    /// loaded) and the HTTP ports (which the probe tests show the service listens on).
    /// </summary>
    public static readonly IReadOnlySet<string> HostKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "ASPNETCORE_ENVIRONMENT", "ASPNETCORE_HTTP_PORTS",
    };

    /// <summary>
    /// The ServiceDefaults options and the call in a service's sources that binds them. Every ServiceDefaults class with
    /// a section is here (a test checks it), so a new one cannot be silently taken as bound by every service.
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, string> SharedOptions = new Dictionary<Type, string>
    {
        [typeof(MessageBusOptions)] = "AddMessageBus(",
        [typeof(StarGuide.ServiceDefaults.Messaging.Publishers.PublishersOptions)] = "AddMessageBus(",
        [typeof(PoolsOptions)] = "AddPoolsOptions(",
        [typeof(StarGuide.ServiceDefaults.Management.ManagementAccessOptions)] = "AddServiceDefaults(",
        [typeof(StarGuide.ServiceDefaults.Messaging.EventOutboxOptions)] = "AddEventOutbox(",
    };

    /// <summary>
    /// Options classes the service binds, by configuration section: one or more (the scaler's <c>Scaler</c> section is
    /// bound by the pools' options and by autoscaling's, each taking its own keys).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Type>> Sections(DeployedService service)
    {
        var sources = Sources(service);
        var types = OptionsTypes(service.Assembly)
            .Concat(SharedOptions.Where(s => sources.Contains(s.Value, StringComparison.Ordinal)).Select(s => (Section: SectionOf(s.Key)!, Type: s.Key)));
        return types.GroupBy(t => t.Section, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Type>)[.. g.Select(t => t.Type)], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Connection-string names (<c>ConnectionStrings:name</c>) the service's code reads.</summary>
    public static IReadOnlySet<string> ConnectionStrings(DeployedService service)
    {
        var sources = Sources(service);
        if (sources.Contains(SharedOptions[typeof(MessageBusOptions)], StringComparison.Ordinal))
        {
            sources += File.ReadAllText(Path.Combine(Repository.Root, "src", "ServiceDefaults", "MessageBusExtensions.cs"));
        }
        return ConnectionStringCall().Matches(sources)
            .Select(m => (string)typeof(ResourceNames).GetField(m.Groups[1].Value)!.GetRawConstantValue()!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public static IEnumerable<(string Section, Type Type)> OptionsTypes(Assembly assembly) =>
        assembly.GetTypes().Where(t => t.IsClass).Select(t => (Section: SectionOf(t), Type: t)).Where(t => t.Section is not null)!;

    private static string? SectionOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .FirstOrDefault(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name is "SectionName" or "Section")
            ?.GetRawConstantValue() as string;

    private static string Sources(DeployedService service) =>
        string.Concat(Directory.GetFiles(service.SourceDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

    [GeneratedRegex(@"GetConnectionString\(ResourceNames\.(\w+)\)")]
    private static partial Regex ConnectionStringCall();
}
