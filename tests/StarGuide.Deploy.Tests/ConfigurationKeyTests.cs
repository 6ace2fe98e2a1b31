using Microsoft.Extensions.Configuration;
using StarGuide.Deploy.Tests.Manifests;

namespace StarGuide.Deploy.Tests;

/// <summary>
/// Every variable a manifest gives a service is a key its code reads: a property of an options class it binds (down
/// to the last segment, with a value of the property's type), a connection string it asks for, or one of the host's
/// own keys. That the values pass the services' validation is shown by <see cref="ServiceProbeTests"/>, which starts
/// each service with them (options are validated at start).
/// </summary>
public sealed class ConfigurationKeyTests
{
    public static TheoryData<string, string> ServicesByOverlay
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var overlay in Overlays.Names)
            {
                foreach (var service in DeployedService.All)
                {
                    data.Add(overlay, service.Deployment);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ServicesByOverlay))]
    public void Every_variable_maps_to_a_key_the_service_reads(string overlay, string deployment)
    {
        var service = DeployedService.Named(deployment);
        var sections = ServiceConfiguration.Sections(service);
        var connectionStrings = ServiceConfiguration.ConnectionStrings(service);
        var container = Overlays.Named<k8s.Models.V1Deployment>(overlay, deployment).Spec.Template.Spec.Containers.Single();

        var problems = ContainerEnvironment.Of(overlay, container)
            .Select(pair => Problem(pair.Key, pair.Value, sections, connectionStrings))
            .OfType<string>()
            .ToList();

        Assert.True(problems.Count == 0, $"{deployment} ({overlay}):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_ServiceDefaults_options_class_is_known_with_the_call_that_binds_it()
    {
        var shared = ServiceConfiguration.OptionsTypes(typeof(StarGuide.ServiceDefaults.ResourceNames).Assembly).Select(t => t.Type);

        Assert.Equal(shared.OrderBy(t => t.Name), ServiceConfiguration.SharedOptions.Keys.OrderBy(t => t.Name));
    }

    [Fact]
    public void A_misspelt_key_is_found()
    {
        var gateway = DeployedService.Named("gateway");

        var problem = Problem("Gateway__Management__Prot", "8081", ServiceConfiguration.Sections(gateway), ServiceConfiguration.ConnectionStrings(gateway));

        Assert.Contains("Prot", problem, StringComparison.Ordinal);
    }

    private static string? Problem(string variable, string value, IReadOnlyDictionary<string, IReadOnlyList<Type>> sections, IReadOnlySet<string> connectionStrings)
    {
        if (ServiceConfiguration.HostKeys.Contains(variable))
        {
            return null;
        }
        var key = variable.Replace("__", ":", StringComparison.Ordinal);
        if (key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase))
        {
            var name = key["ConnectionStrings:".Length..];
            return connectionStrings.Contains(name) ? null
                : $"{variable}: the service reads no connection string '{name}' (it reads: {string.Join(", ", connectionStrings)}).";
        }

        var section = sections.Keys.Where(s => key.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase)).MaxBy(s => s.Length);
        if (section is null)
        {
            return $"{variable}: no options class of the service binds a section it is in (sections: {string.Join(", ", sections.Keys.Order())}).";
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
        var refusals = new List<string>();
        foreach (var type in sections[section])
        {
            try
            {
                configuration.GetSection(section).Get(type, o => o.ErrorOnUnknownConfiguration = true);
                return null; // one of the classes that bind the section takes it
            }
            catch (InvalidOperationException ex)
            {
                refusals.Add($"{type.Name} does not take it: {ex.Message}");
            }
        }
        return $"{variable}={value}: {string.Join("; ", refusals)}";
    }
}
