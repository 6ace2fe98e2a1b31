using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using StarGuide.Deploy.Tests.Manifests;
using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Drivers.Kubernetes;
using StarGuide.Scaler.Tests.Drivers.Kubernetes;

namespace StarGuide.Deploy.Tests.Scaler;

/// <summary>
/// The scaler's Role grants what its kubernetes driver really calls, and nothing more. The calls are not read from a
/// list: the real driver, with each pool's settings from the manifest, starts, lists and stops an instance against the
/// scaler tests' stand-in API, and every request it sent is checked against the Role as the API server's RBAC would.
/// </summary>
public sealed class ScalerPermissionsTests
{
    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public async Task The_Role_bound_to_the_scaler_grants_exactly_what_the_driver_calls(string overlay)
    {
        var rules = RulesOfScalerAccount(overlay);
        var requests = new List<(string Pool, ApiRequest Request)>();
        foreach (var (pool, options, ns) in ScalerManifest.KubernetesPools(overlay))
        {
            requests.AddRange((await DriveAsync(pool, options, ns)).Select(r => (pool, r)));
        }

        var used = new HashSet<(string Group, string Resource, string Verb)>();
        foreach (var (pool, request) in requests)
        {
            var access = ResourceAccess.Of(request);
            Assert.True(rules.Any(r => r.Allows(access)), $"pool {pool}: the scaler's Role does not allow {request.Method} {request.PathAndQuery} ({access}).");
            used.Add((access.Group, access.Resource, access.Verb));
        }
        var granted = rules.SelectMany(r => r.ApiGroups.SelectMany(g => r.Resources.SelectMany(res => r.Verbs.Select(v => (g, res, v)))));
        Assert.Empty(granted.Where(g => !used.Contains(g)).Select(g => $"{g.v} {g.g}/{g.res} is granted but never used"));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_rule_names_its_objects_where_RBAC_can(string overlay)
    {
        var deployments = ScalerManifest.KubernetesPools(overlay).Select(p => p.Options.Kubernetes.Deployment).Distinct().Order(StringComparer.Ordinal);

        foreach (var rule in RulesOfScalerAccount(overlay))
        {
            if (rule.ApiGroups.SequenceEqual([""]) && rule.Resources.SequenceEqual(["pods"]))
            {
                // RBAC can name objects but not select them by label, and the ReplicaSet names the pods: the patch (a
                // deletion cost) cannot be held to the pools' pods by the Role (docs/deploy-kubernetes.md, "The scaler's Role").
                Assert.Null(rule.ResourceNames);
                continue;
            }

            Assert.True(rule.ResourceNames is { Count: > 0 }, $"{overlay}: the rule for {string.Join(",", rule.Resources)} applies to every object, not the pools' Deployments.");
            Assert.Equal(deployments, rule.ResourceNames.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void A_request_outside_the_Role_is_refused()
    {
        var rules = RulesOfScalerAccount(Overlays.Local);

        var delete = ResourceAccess.Of(new ApiRequest("DELETE", "/api/v1/namespaces/starguide/pods/backend-1", null, ""));
        var otherDeployment = ResourceAccess.Of(new ApiRequest("PUT", "/apis/apps/v1/namespaces/starguide/deployments/gateway/scale", null, ""));

        Assert.DoesNotContain(rules, r => r.Allows(delete));
        Assert.DoesNotContain(rules, r => r.Allows(otherDeployment));
    }

    /// <summary>The rules of the Roles bound to the scaler Deployment's service account in its namespace.</summary>
    private static List<V1PolicyRule> RulesOfScalerAccount(string overlay)
    {
        var scaler = ScalerManifest.Deployment(overlay);
        var ns = scaler.Metadata.NamespaceProperty;
        var account = scaler.Spec.Template.Spec.ServiceAccountName;
        Assert.Contains(Overlays.OfKind<V1ServiceAccount>(overlay), a => a.Metadata.Name == account && a.Metadata.NamespaceProperty == ns);

        var roles = Overlays.OfKind<V1RoleBinding>(overlay)
            .Where(b => b.Metadata.NamespaceProperty == ns && b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == account && s.NamespaceProperty == ns))
            .Select(b => Assert.Single(Overlays.OfKind<V1Role>(overlay), r => b.RoleRef.Kind == "Role" && r.Metadata.Name == b.RoleRef.Name && r.Metadata.NamespaceProperty == ns))
            .ToList();
        Assert.NotEmpty(roles);
        return roles.SelectMany(r => r.Rules).ToList();
    }

    /// <summary>Runs the driver through a start, a list and a stop; returns every request it sent.</summary>
    private static async Task<IReadOnlyList<ApiRequest>> DriveAsync(string pool, StarGuide.Scaler.Pools.ScalerPoolOptions options, string ns)
    {
        var cluster = new FakeCluster(ns, options.Kubernetes.Deployment, app: options.Kubernetes.Deployment);
        cluster.Seed(1);
        await using var api = await FakeKubernetesApi.StartAsync(cluster);
        var settings = options.Kubernetes;
        // Outside a pod: the stand-in's address instead of the service account, and the namespace the service account
        // would give (the scaler's own, where an empty Namespace points in a cluster). The stand-in labels its pods
        // app=<name>; that the manifest's own LabelSelector selects the Deployment's pods is ScalerPoolsTests' part.
        settings.ApiServer = api.Address.ToString();
        settings.Namespace = ns;
        settings.InCluster = null;
        settings.LabelSelector = cluster.Selector;
        settings.PollInterval = TimeSpan.FromMilliseconds(20);
        options.Kubernetes = settings;

        var factory = new KubernetesDriverFactory(TimeProvider.System, NullLoggerFactory.Instance);
        Assert.Empty(factory.Validate($"Scaler:Pools:{pool}", options));
        var driver = (KubernetesDriver)factory.Create(pool, options);
        using (driver)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var started = await driver.StartAsync(new InstanceLaunch(pool, $"{pool}-2", 2), timeout.Token);
            Assert.Contains(await driver.ListAsync(timeout.Token), i => i.InstanceId == started.InstanceId);
            await driver.StopAsync(started, options.DrainTimeout, timeout.Token);
        }
        Assert.Equal(1, cluster.Replicas);
        return api.Requests.ToList();
    }
}
