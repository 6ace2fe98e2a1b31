namespace StarGuide.Scaler.Drivers.Docker;

/// <summary>
/// Settings of the <c>docker</c> driver (section <c>Scaler:Pools:&lt;pool&gt;:Docker</c>): each instance is a container
/// of <see cref="Image"/> on one Docker engine, named <c>&lt;NamePrefix&gt;-&lt;instance id&gt;</c> and labelled
/// <c>io.starguide.managed-by=starguide-scaler</c>, <c>io.starguide.pool</c> and <c>io.starguide.instance</c>, by which a
/// restarted scaler finds its containers again. In <see cref="Environment"/> values and <see cref="Command"/> entries,
/// <c>{id}</c> is the instance id, <c>{index}</c> its number, <c>{pool}</c> the pool's name and <c>{port}</c>
/// <see cref="ContainerPort"/>. The driver never pulls: the image must already be on the engine.
/// </summary>
internal sealed class DockerDriverOptions
{
    /// <summary>
    /// The engine's API address: <c>unix:///path/docker.sock</c>, <c>tcp://host:2375</c> (no TLS) or
    /// <c>npipe://./pipe/docker_engine</c>. Empty: <c>DOCKER_HOST</c> when set, else <c>unix:///var/run/docker.sock</c>.
    /// </summary>
    public string Endpoint { get; set; } = "";

    /// <summary>Image to run, e.g. <c>starguide/backend:1.4</c>; required, and present on the engine (built or loaded there).</summary>
    public string Image { get; set; } = "";

    /// <summary>TCP port the application listens on inside the container (on 0.0.0.0, not loopback).</summary>
    public int ContainerPort { get; set; } = 8080;

    /// <summary>Extra environment variables for the container; values may use the templates.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>Replaces the image's <c>CMD</c>, one argument per entry; entries may use the templates. Empty: the image's.</summary>
    public List<string> Command { get; set; } = [];

    /// <summary>
    /// Empty: <see cref="ContainerPort"/> is published on <see cref="PublishAddress"/> at a host port the engine picks, and
    /// the instance's address is <c>http://127.0.0.1:&lt;host port&gt;</c>. Set: the container joins this user-defined
    /// network (<c>docker network create</c>) without publishing, and its address is
    /// <c>http://&lt;container name&gt;:&lt;ContainerPort&gt;</c>, for a scaler and gateway that run on that network too.
    /// </summary>
    public string Network { get; set; } = "";

    /// <summary>
    /// Host interface the port is published on when <see cref="Network"/> is empty. The address handed to the gateway
    /// uses this IP, or 127.0.0.1 when it is <c>0.0.0.0</c>.
    /// </summary>
    public string PublishAddress { get; set; } = "127.0.0.1";

    /// <summary>Start of every container name (<c>starguide-backend-7</c>); letters, digits, <c>_ . -</c>.</summary>
    public string NamePrefix { get; set; } = "starguide";

    /// <summary>
    /// Extra labels put on every container. The driver only adopts containers that carry all of them, so two
    /// deployments sharing an engine (e.g. <c>environment=staging</c>) keep apart. Keys starting with
    /// <c>io.starguide.</c> are reserved for the driver.
    /// </summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Memory limit per container in MiB (<c>docker run --memory</c>); 0: no limit, else at least 6.</summary>
    public long MemoryMegabytes { get; set; }

    /// <summary>CPU limit per container in cores, e.g. 0.5 (<c>docker run --cpus</c>); 0: no limit.</summary>
    public double Cpus { get; set; }

    /// <summary>Bind mounts and volumes in <c>docker run -v</c> form (<c>/host/path:/path:ro</c>, <c>name:/path</c>).</summary>
    public List<string> Volumes { get; set; } = [];

    /// <summary>
    /// Containers of the pool that exited by themselves are kept this many at most (newest first) so that
    /// <c>docker logs</c> can tell why; older ones are removed. Stopped instances are always removed.
    /// </summary>
    public int RetainExited { get; set; } = 3;

    /// <summary>How long one call to the engine may take before the engine counts as not answering (a stop adds its grace period).</summary>
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
