using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace StarGuide.Scaler.Tests.Drivers.Kubernetes;

/// <summary>
/// The state behind <see cref="FakeKubernetesApi"/>: one Deployment and its pods. A new pod is Pending (no IP) the
/// first time it is listed and Running with IP 10.0.0.N from the next list on; a pod removed by a scale-down is
/// listed once as terminating (deletionTimestamp set), then gone. Scale-down removes Pending pods first, then the
/// lowest <c>controller.kubernetes.io/pod-deletion-cost</c>, then the newest, as a ReplicaSet does.
/// </summary>
internal sealed class FakeCluster(string @namespace = "starguide", string deployment = "backend", string app = "backend")
{
    private const string DeletionCost = "controller.kubernetes.io/pod-deletion-cost";
    private readonly Lock _lock = new();
    private readonly List<V1Pod> _pods = [];
    private readonly HashSet<string> _listedOnce = [];
    private int _replicas;
    private int _resourceVersion = 100;
    private int _nextPod = 1;
    private int _heldScaleChanges;
    private TaskCompletionSource _scaleGate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>New pods stay Pending forever (an image that cannot be pulled).</summary>
    public bool PodsNeverStart { get; set; }

    /// <summary>The next this many PUTs of the scale answer 409 Conflict, as if someone else changed it meanwhile.</summary>
    public int ConflictsToAnswer { get; set; }

    /// <summary>
    /// Holds every PUT of the scale until <paramref name="arrivals"/> of them are waiting, then lets them all through:
    /// starts made at once then each list the pods before any of their replicas exists (30 s at most, then they go on).
    /// </summary>
    public void HoldScaleChangesUntil(int arrivals)
    {
        lock (_lock)
        {
            _heldScaleChanges = arrivals;
            _scaleGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Called by the stand-in before it applies a PUT of the scale (see <see cref="HoldScaleChangesUntil"/>).</summary>
    public async Task ScaleChangeArrivedAsync()
    {
        Task gate;
        lock (_lock)
        {
            if (_heldScaleChanges == 0)
            {
                return;
            }
            if (--_heldScaleChanges == 0)
            {
                _scaleGate.TrySetResult();
            }
            gate = _scaleGate.Task;
        }
        try
        {
            await gate.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // The other arrivals never came: go on, and let the test's assertions say what happened.
        }
    }

    public int Replicas
    {
        get { lock (_lock) { return _replicas; } }
    }

    public IReadOnlyList<string> PodNames
    {
        get { lock (_lock) { return _pods.Select(p => p.Metadata.Name).ToList(); } }
    }

    public string Selector => $"app={app}";

    /// <summary>Sets the replicas directly, with their pods already Running (the state before a test).</summary>
    public void Seed(int replicas)
    {
        lock (_lock)
        {
            _replicas = replicas;
            Reconcile();
            foreach (var pod in _pods)
            {
                MakeRunning(pod);
            }
        }
    }

    /// <summary>Adds a pod outside the Deployment's control, e.g. of another app, or one being deleted.</summary>
    public void AddPod(V1Pod pod)
    {
        lock (_lock)
        {
            _pods.Add(pod);
        }
    }

    public V1Scale ReadScale(string ns, string name)
    {
        lock (_lock)
        {
            Require(ns, name);
            return Scale();
        }
    }

    public V1Scale ReplaceScale(string ns, string name, V1Scale scale)
    {
        lock (_lock)
        {
            Require(ns, name);
            if (ConflictsToAnswer > 0 || scale.Metadata?.ResourceVersion != Version)
            {
                ConflictsToAnswer = Math.Max(0, ConflictsToAnswer - 1);
                _resourceVersion++;
                throw new FakeApiError(HttpStatusCode.Conflict, "Operation cannot be fulfilled on deployments.apps \"backend\": the object has been modified");
            }

            _replicas = scale.Spec.Replicas ?? 0;
            _resourceVersion++;
            Reconcile();
            return Scale();
        }
    }

    public V1PodList ListPods(string ns, string? labelSelector)
    {
        lock (_lock)
        {
            Advance();
            var wanted = (labelSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(term => term.Split('=', 2))
                .ToList();
            var items = _pods
                .Where(p => ns == @namespace && wanted.All(w => Get(p.Metadata.Labels, w[0]) == w[1]))
                .Select(p => KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(p)))
                .ToList();
            _listedOnce.UnionWith(_pods.Select(p => p.Metadata.Name));
            return new V1PodList { ApiVersion = "v1", Kind = "PodList", Items = items, Metadata = new V1ListMeta { ResourceVersion = Version } };
        }
    }

    public V1Pod PatchPod(string ns, string name, string mergePatch)
    {
        lock (_lock)
        {
            var pod = _pods.FirstOrDefault(p => ns == @namespace && p.Metadata.Name == name)
                ?? throw new FakeApiError(HttpStatusCode.NotFound, $"pods \"{name}\" not found");
            using var patch = JsonDocument.Parse(mergePatch);
            if (patch.RootElement.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("annotations", out var annotations))
            {
                pod.Metadata.Annotations ??= new Dictionary<string, string>();
                foreach (var annotation in annotations.EnumerateObject())
                {
                    pod.Metadata.Annotations[annotation.Name] = annotation.Value.GetString()!;
                }
            }

            return pod;
        }
    }

    public V1Pod? Pod(string name)
    {
        lock (_lock)
        {
            return _pods.FirstOrDefault(p => p.Metadata.Name == name);
        }
    }

    private string Version => _resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Require(string ns, string name)
    {
        if (ns != @namespace || name != deployment)
        {
            throw new FakeApiError(HttpStatusCode.NotFound, $"deployments.apps \"{name}\" not found");
        }
    }

    private V1Scale Scale() => new()
    {
        ApiVersion = "autoscaling/v1",
        Kind = "Scale",
        Metadata = new V1ObjectMeta { Name = deployment, NamespaceProperty = @namespace, ResourceVersion = Version },
        Spec = new V1ScaleSpec { Replicas = _replicas },
        Status = new V1ScaleStatus { Replicas = Owned().Count(), Selector = Selector },
    };

    private List<V1Pod> Owned() =>
        _pods.Where(p => Get(p.Metadata.Labels, "app") == app && p.Metadata.DeletionTimestamp is null).ToList();

    private void Reconcile()
    {
        var owned = Owned();
        for (var i = owned.Count; i < _replicas; i++)
        {
            _pods.Add(new V1Pod
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Metadata = new V1ObjectMeta
                {
                    Name = $"{deployment}-5d9c7-{_nextPod++:D3}",
                    NamespaceProperty = @namespace,
                    Labels = new Dictionary<string, string> { ["app"] = app },
                    CreationTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(_nextPod),
                },
                Spec = new V1PodSpec { TerminationGracePeriodSeconds = 45, Containers = [new V1Container { Name = "app" }] },
                Status = new V1PodStatus { Phase = "Pending" },
            });
        }

        var doomed = owned
            .OrderBy(p => p.Status.Phase == "Pending" ? 0 : 1)
            .ThenBy(p => int.Parse(Get(p.Metadata.Annotations, DeletionCost) ?? "0", System.Globalization.CultureInfo.InvariantCulture))
            .ThenByDescending(p => p.Metadata.CreationTimestamp)
            .Take(Math.Max(0, owned.Count - _replicas));
        foreach (var pod in doomed)
        {
            pod.Metadata.DeletionTimestamp = DateTime.UtcNow;
            _listedOnce.Remove(pod.Metadata.Name);
        }
    }

    /// <summary>Before a list: pods listed before in their state move on (Pending to Running, terminating to gone).</summary>
    private void Advance()
    {
        foreach (var pod in _pods.ToList())
        {
            if (_listedOnce.Contains(pod.Metadata.Name))
            {
                if (pod.Metadata.DeletionTimestamp is not null)
                {
                    _pods.Remove(pod);
                    _listedOnce.Remove(pod.Metadata.Name);
                }
                else if (pod.Status.Phase == "Pending" && !PodsNeverStart)
                {
                    MakeRunning(pod);
                }
            }
        }
    }

    private static string? Get(IDictionary<string, string>? values, string key) =>
        values is not null && values.TryGetValue(key, out var value) ? value : null;

    private static void MakeRunning(V1Pod pod)
    {
        pod.Status.Phase = "Running";
        pod.Status.PodIP = $"10.0.0.{pod.Metadata.Name[^3..].TrimStart('0')}";
        pod.Status.StartTime = pod.Metadata.CreationTimestamp;
    }
}
