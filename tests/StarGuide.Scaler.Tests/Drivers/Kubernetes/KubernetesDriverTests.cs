using System.Text.Json;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Drivers.Kubernetes;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Tests.Drivers.Kubernetes;

/// <summary>
/// The driver against <see cref="FakeKubernetesApi"/>, a local stand-in of the API calls it makes: these tests show
/// the requests and how the driver reads the answers, not that a real cluster behaves like the stand-in.
/// </summary>
public sealed class KubernetesDriverTests : IAsyncLifetime
{
    private const string Pods = "GET /api/v1/namespaces/starguide/pods?labelSelector=app=backend&watch=false";
    private const string ScalePath = "/apis/apps/v1/namespaces/starguide/deployments/backend/scale";
    private readonly FakeCluster _cluster = new();
    private FakeKubernetesApi _api = null!;
    private readonly List<KubernetesDriver> _drivers = [];

    public async Task InitializeAsync() => _api = await FakeKubernetesApi.StartAsync(_cluster);

    public async Task DisposeAsync()
    {
        foreach (var driver in _drivers)
        {
            driver.Dispose();
        }

        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Start_adds_a_replica_through_the_scale_subresource_and_returns_the_new_pod_once_it_has_an_IP()
    {
        _cluster.Seed(2);
        var driver = CreateDriver();

        var instance = await driver.StartAsync(new InstanceLaunch("backend", "backend-3", 3), default);

        AssertCalls(Pods, $"GET {ScalePath}", $"PUT {ScalePath}", Pods, Pods);
        var put = _api.Requests.Single(r => r.Method == "PUT");
        using var body = JsonDocument.Parse(put.Body);
        Assert.Equal(3, body.RootElement.GetProperty("spec").GetProperty("replicas").GetInt32());
        // The resourceVersion the GET answered (the stand-in starts at 100), so a change made meanwhile is a 409.
        Assert.Equal("100", body.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        Assert.Equal(("backend-5d9c7-003", new Uri("http://10.0.0.3:8000"), "backend-5d9c7-003"), (instance.InstanceId, instance.Address, instance.Handle));
        Assert.Equal(3, _cluster.Replicas);
    }

    [Fact]
    public async Task Two_starts_at_once_each_return_a_pod_of_their_own()
    {
        _cluster.Seed(2);
        var driver = CreateDriver();
        // The pool controller starts instances in parallel: both starts list the pods ("before") while neither new
        // replica exists yet, so each then sees both new pods appear.
        _cluster.HoldScaleChangesUntil(2);

        var started = await Task.WhenAll(
            driver.StartAsync(new InstanceLaunch("backend", "backend-3", 3), default),
            driver.StartAsync(new InstanceLaunch("backend", "backend-4", 4), default));

        Assert.Equal(["backend-5d9c7-003", "backend-5d9c7-004"], started.Select(i => i.InstanceId).Order());
        Assert.Equal(4, _cluster.Replicas);
    }

    [Fact]
    public async Task Stop_marks_the_pod_cheapest_to_delete_scales_down_and_waits_until_it_is_gone()
    {
        _cluster.Seed(3);
        var driver = CreateDriver();
        var victim = (await driver.ListAsync(default)).Single(i => i.InstanceId == "backend-5d9c7-002");
        _api.Requests.Clear();

        await driver.StopAsync(victim, TimeSpan.FromSeconds(30), default);

        AssertCalls(Pods, "PATCH /api/v1/namespaces/starguide/pods/backend-5d9c7-002", $"GET {ScalePath}", $"PUT {ScalePath}", Pods, Pods);
        var patch = _api.Requests.Single(r => r.Method == "PATCH");
        Assert.Equal("application/merge-patch+json", patch.ContentType?.Split(';')[0]);
        using var body = JsonDocument.Parse(patch.Body);
        Assert.Equal("-1000", body.RootElement.GetProperty("metadata").GetProperty("annotations").GetProperty("controller.kubernetes.io/pod-deletion-cost").GetString());
        Assert.Equal(2, _cluster.Replicas);
        Assert.Equal(["backend-5d9c7-001", "backend-5d9c7-003"], _cluster.PodNames);
    }

    [Fact]
    public async Task Stop_of_a_pod_that_is_already_gone_changes_nothing()
    {
        _cluster.Seed(1);
        var driver = CreateDriver();
        var gone = new RunningInstance("backend-old", new Uri("http://10.0.0.9:8000"), "backend-old", DateTimeOffset.UnixEpoch);

        await driver.StopAsync(gone, TimeSpan.FromSeconds(30), default);

        AssertCalls(Pods);
        Assert.Equal(1, _cluster.Replicas);
    }

    [Fact]
    public async Task List_returns_only_running_pods_with_an_IP_that_are_not_being_deleted()
    {
        _cluster.Seed(1);
        _cluster.AddPod(Pod("backend-pending", "backend", "Pending", ip: null));
        _cluster.AddPod(Pod("backend-terminating", "backend", "Running", "10.0.0.50", deleting: true));
        _cluster.AddPod(Pod("frontend-1", "frontend", "Running", "10.0.0.60"));
        var driver = CreateDriver();

        var listed = await driver.ListAsync(default);

        var only = Assert.Single(listed);
        Assert.Equal(("backend-5d9c7-001", new Uri("http://10.0.0.1:8000"), "backend-5d9c7-001"), (only.InstanceId, only.Address, only.Handle));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 2, 0, TimeSpan.Zero), only.StartedAt);
        AssertCalls(Pods);
    }

    [Fact]
    public async Task A_new_driver_adopts_the_pods_that_run()
    {
        _cluster.Seed(2);
        await CreateDriver().StartAsync(new InstanceLaunch("backend", "backend-3", 3), default);

        var listed = await CreateDriver().ListAsync(default);

        Assert.Equal(["backend-5d9c7-001", "backend-5d9c7-002", "backend-5d9c7-003"], listed.Select(i => i.InstanceId).Order());
    }

    [Fact]
    public async Task Start_that_gets_no_running_pod_in_time_scales_back_and_throws()
    {
        _cluster.Seed(1);
        _cluster.PodsNeverStart = true;
        var driver = CreateDriver(o => o.PodTimeout = TimeSpan.FromMilliseconds(300));

        var ex = await Assert.ThrowsAsync<InstanceDriverException>(() => driver.StartAsync(new InstanceLaunch("backend", "backend-2", 2), default));

        Assert.Contains("No new pod of deployment starguide/backend was Running with an IP", ex.Message, StringComparison.Ordinal);
        Assert.Contains("scaled it back to 1", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, _cluster.Replicas);
        var puts = _api.Requests.Where(r => r.Method == "PUT").Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal([2, 1], puts);
    }

    [Fact]
    public async Task A_conflicting_scale_change_is_read_again_and_retried()
    {
        _cluster.Seed(1);
        _cluster.ConflictsToAnswer = 1;
        var driver = CreateDriver();

        await driver.StartAsync(new InstanceLaunch("backend", "backend-2", 2), default);

        AssertCalls(Pods, $"GET {ScalePath}", $"PUT {ScalePath}", $"GET {ScalePath}", $"PUT {ScalePath}", Pods, Pods);
        Assert.Equal(2, _cluster.Replicas);
    }

    [Fact]
    public async Task Without_a_label_selector_the_scale_subresource_gives_it()
    {
        _cluster.Seed(1);
        var driver = CreateDriver(o => o.LabelSelector = "");

        Assert.Single(await driver.ListAsync(default));
        Assert.Single(await driver.ListAsync(default));

        AssertCalls($"GET {ScalePath}", Pods, Pods);
    }

    [Fact]
    public async Task An_API_error_is_an_instance_driver_exception_naming_the_request_and_the_answer()
    {
        var driver = CreateDriver(o => o.Deployment = "missing");

        var ex = await Assert.ThrowsAsync<InstanceDriverException>(() => driver.StartAsync(new InstanceLaunch("backend", "backend-1", 1), default));

        Assert.Contains("Kubernetes API GET /apis/apps/v1/namespaces/starguide/deployments/missing/scale failed: 404 Not Found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("deployments.apps \\\"missing\\\" not found", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Compares the calls as lines, so that a failure shows every one in full.</summary>
    private void AssertCalls(params string[] expected) => Assert.Equal(string.Join('\n', expected), string.Join('\n', _api.Calls));

    private KubernetesDriver CreateDriver(Action<KubernetesDriverOptions>? configure = null)
    {
        var pool = new ScalerPoolOptions { Driver = "kubernetes" };
        pool.Kubernetes.ApiServer = _api.Address.ToString().TrimEnd('/');
        pool.Kubernetes.Namespace = "starguide";
        pool.Kubernetes.Deployment = "backend";
        pool.Kubernetes.LabelSelector = "app=backend";
        pool.Kubernetes.Port = 8000;
        pool.Kubernetes.PollInterval = TimeSpan.FromMilliseconds(20);
        configure?.Invoke(pool.Kubernetes);
        var driver = (KubernetesDriver)new KubernetesDriverFactory(TimeProvider.System, NullLoggerFactory.Instance).Create("backend", pool);
        _drivers.Add(driver);
        return driver;
    }

    private static V1Pod Pod(string name, string app, string phase, string? ip, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "starguide",
            Labels = new Dictionary<string, string> { ["app"] = app },
            DeletionTimestamp = deleting ? DateTime.UtcNow : null,
        },
        Status = new V1PodStatus { Phase = phase, PodIP = ip },
    };
}
