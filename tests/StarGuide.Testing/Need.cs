namespace StarGuide.Testing;

/// <summary>
/// Something a test needs from the machine that a test run may lack (a Docker engine, an executable, a capability).
/// Missing, the test skips with a message that starts with <c>skip: &lt;name&gt;: </c> (for example
/// <c>skip: docker: no Docker engine answers at …</c>), so that a run's skips can be counted by reason; but where the
/// run says the machine has it (<see cref="NeedPolicy"/>: <c>STARGUIDE_CI=1</c> for what CI provides,
/// <c>STARGUIDE_REQUIRE</c>), the test fails instead: on CI a skip for want of something CI provides hides a broken
/// set-up or a test that no longer runs.
/// </summary>
public sealed class Need
{
    /// <summary>A Docker engine that answers (DOCKER_HOST, else /var/run/docker.sock); CI starts one (.ci/docker-engine.sh).</summary>
    public static readonly Need Docker = new("docker", providedByCi: true);

    /// <summary>The project's images on the engine (deploy/build-images.sh); CI builds them after its first test pass.</summary>
    public static readonly Need DockerImages = new("docker-images", providedByCi: false);

    /// <summary>A static busybox (/bin/busybox from busybox-static), for the scaler's docker driver tests' image.</summary>
    public static readonly Need BusyboxStatic = new("busybox-static", providedByCi: true);

    /// <summary>/usr/sbin/haproxy (the docker-proxy tests run its configuration).</summary>
    public static readonly Need Haproxy = new("haproxy", providedByCi: true);

    /// <summary>promtool and prometheus (Debian's prometheus package).</summary>
    public static readonly Need Prometheus = new("prometheus", providedByCi: true);

    /// <summary>redis-server (Debian's redis-server package).</summary>
    public static readonly Need RedisServer = new("redis-server", providedByCi: true);

    /// <summary>RabbitMQ and Redis that the tests started themselves (not named by STARGUIDE_TEST_RABBITMQ/REDIS), so they can stop and start them.</summary>
    public static readonly Need OwnServers = new("own-servers", providedByCi: true);

    /// <summary>Root with CAP_SYS_ADMIN, to mount a small tmpfs (a real full disk).</summary>
    public static readonly Need TmpfsMount = new("tmpfs-mount", providedByCi: true);

    /// <summary>kubectl with kustomize 4 or later (Debian's kubectl 1.20 has an older one).</summary>
    public static readonly Need Kubectl = new("kubectl", providedByCi: false);

    /// <summary>STARGUIDE_BENCH=1: benchmarks, which run only when asked for.</summary>
    public static readonly Need Benchmarks = new("bench", providedByCi: false);

    /// <summary>A test process outside a Kubernetes pod.</summary>
    public static readonly Need OutsideAPod = new("outside-a-pod", providedByCi: false);

    private Need(string name, bool providedByCi)
    {
        Name = name;
        ProvidedByCi = providedByCi;
    }

    /// <summary>Every need, for the policy's check of the names it is given.</summary>
    public static IReadOnlyList<Need> All { get; } =
        [Docker, DockerImages, BusyboxStatic, Haproxy, Prometheus, RedisServer, OwnServers, TmpfsMount, Kubectl, Benchmarks, OutsideAPod];

    /// <summary>The name in skip messages and in STARGUIDE_REQUIRE / STARGUIDE_ALLOW_SKIP.</summary>
    public string Name { get; }

    /// <summary>CI's machine has it: with STARGUIDE_CI=1 a test that lacks it fails.</summary>
    public bool ProvidedByCi { get; }

    /// <summary>Skips the test, or fails it where the need is required, when <paramref name="problem"/> is not null.</summary>
    /// <param name="problem">Why the need is not met and how to meet it; null: it is met.</param>
    public void Check(string? problem) => NeedPolicy.Default.Check(this, problem);

    /// <summary>Skips the test, or fails it where the need is required, unless <paramref name="met"/>.</summary>
    public void Check(bool met, string problem) => Check(met ? null : problem);

    public override string ToString() => Name;
}
