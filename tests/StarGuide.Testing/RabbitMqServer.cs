using System.Globalization;
using System.Security.Cryptography;
using DotNet.Testcontainers.Configurations;
using StarGuide.ServiceDefaults.Messaging;
using Testcontainers.RabbitMq;

namespace StarGuide.Testing;

/// <summary>
/// A real RabbitMQ broker for tests. Where it comes from is chosen by STARGUIDE_TEST_SERVERS (auto, local or
/// containers; see README.md): the broker named by STARGUIDE_TEST_RABBITMQ, a local node started from the Debian
/// package on free ports, or a container of starguide/rabbitmq:local started through Testcontainers.RabbitMq. Dispose
/// stops and removes whatever was started here.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private static readonly ServerKind _kind = new("RabbitMQ", ResolutionOptions.RabbitMqVariable, "rabbitmq-server");

    private readonly IOwnedServer? _owned;
    private readonly Func<string, string> _passwordOf;
    private int _disposed;

    private RabbitMqServer(Uri amqpUri, string connectionString, string source, IOwnedServer? owned, Func<string, string> passwordOf)
    {
        AmqpUri = amqpUri;
        ConnectionString = connectionString;
        Source = source;
        _owned = owned;
        _passwordOf = passwordOf;
    }

    /// <summary>
    /// The broker's AMQP URI as its administrator, e.g. amqp://guest:guest@127.0.0.1:5672/ (for ConnectionFactory.Uri):
    /// for test buses that listen or publish as nobody in particular. A service connects with <see cref="ConnectionStringFor"/>.
    /// </summary>
    public Uri AmqpUri { get; }

    /// <summary>The same URI as a string, for configuration (e.g. ConnectionStrings:rabbitmq).</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// The broker's AMQP URI as <paramref name="user"/>, one of <see cref="BrokerUsers.All"/> (a service's own user, such
    /// as <c>gateway</c>, or <c>operator</c>), which has only that service's permissions.
    /// </summary>
    /// <exception cref="InvalidOperationException">The broker comes from STARGUIDE_TEST_RABBITMQ and STARGUIDE_TEST_RABBITMQ_USER_PASSWORD is not set.</exception>
    public Uri UriFor(string user) => BrokerUsers.All.Contains(user)
        ? BrokerUsers.For(AmqpUri, user, _passwordOf(user))
        : throw new ArgumentException($"{user} is not one of the project's broker users ({string.Join(", ", BrokerUsers.All)}).", nameof(user));

    /// <summary>The same as a string: <c>ConnectionStrings:rabbitmq</c> of the service whose user is <paramref name="user"/>.</summary>
    public string ConnectionStringFor(string user) => UriFor(user).AbsoluteUri;

    /// <summary>Where the broker comes from: one of the <see cref="ServerSources"/> values.</summary>
    public string Source { get; }

    /// <summary>True when the tests started the broker, so <see cref="StopAsync"/> and <see cref="StartAgainAsync"/> work.</summary>
    public bool SupportsOutages => _owned is not null;

    /// <summary>PIDs of the local node's processes (launcher, Erlang VM, epmd); empty for other sources.</summary>
    internal IReadOnlyList<int> ProcessIds => (_owned as LocalRabbitMqNode)?.ProcessIds ?? [];

    /// <summary>The local node's data folder; null for other sources.</summary>
    internal string? DataDirectory => (_owned as LocalRabbitMqNode)?.DataDirectory;

    /// <summary>The container; null for other sources.</summary>
    internal ServerContainer? Container => _owned as ServerContainer;

    /// <summary>Resolves and starts a broker (see the class summary); returns once it accepts an AMQP connection.</summary>
    public static Task<RabbitMqServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(ResolutionOptions.Default, cancellationToken);

    internal static Task<RabbitMqServer> StartAsync(ResolutionOptions options, CancellationToken cancellationToken)
    {
        var serverScript = LocalExecutables.FindRabbitMqServer();
        var epmd = LocalExecutables.FindEpmd();
        return ServerResolution.StartAsync(
            options,
            new ServerRecipe<RabbitMqServer>(
                _kind,
                options.RabbitMqImage,
                [(LocalExecutables.RabbitMqServerScript, serverScript), ("epmd (on PATH, from Erlang)", epmd)],
                value => FromEnvironment(value, options.Read(ResolutionOptions.RabbitMqUserPasswordVariable)),
                ct => StartLocalAsync(serverScript!, epmd!, ct),
                (engine, ct) => StartContainerAsync(engine, options.RabbitMqImage, ct)),
            cancellationToken);
    }

    /// <summary>
    /// Stops the broker to simulate an outage (a local node: rabbitmqctl stop; a container: docker stop; killed after
    /// 15 s); port and data stay for <see cref="StartAgainAsync"/>. Only for a broker the tests started.
    /// </summary>
    /// <exception cref="NotSupportedException">The broker comes from STARGUIDE_TEST_RABBITMQ.</exception>
    public Task StopAsync() => RequireOwned(nameof(StopAsync)).StopAsync();

    /// <summary>
    /// Starts the stopped broker again with the same port and data (durable queues survive); returns once it accepts
    /// an AMQP connection. Only for a broker the tests started.
    /// </summary>
    /// <exception cref="NotSupportedException">The broker comes from STARGUIDE_TEST_RABBITMQ.</exception>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) =>
        RequireOwned(nameof(StartAgainAsync)).StartAgainAsync(cancellationToken);

    /// <summary>Stops and removes what was started here (processes and data folder, or container); never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static RabbitMqServer FromEnvironment(string value, string? userPassword) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps"
            ? new RabbitMqServer(uri, value, ServerSources.Environment, owned: null, _ => userPassword ?? throw new InvalidOperationException(
                $"The broker of {ResolutionOptions.RabbitMqVariable} must have the project's users (deploy/images/rabbitmq/definitions.json) "
                + $"with one password, given as {ResolutionOptions.RabbitMqUserPasswordVariable}; it is not set."))
            : throw new InvalidOperationException(
                $"{ResolutionOptions.RabbitMqVariable} must be an absolute amqp:// or amqps:// URI such as "
                + $"amqp://guest:guest@127.0.0.1:5672/, but is '{value}'.");

    private static async Task<RabbitMqServer> StartLocalAsync(string serverScript, string epmd, CancellationToken cancellationToken)
    {
        var node = await LocalRabbitMqNode.StartAsync(serverScript, LocalExecutables.FindRabbitMqCtl(), epmd, cancellationToken)
            .ConfigureAwait(false);
        return new RabbitMqServer(node.AmqpUri, node.AmqpUri.AbsoluteUri, ServerSources.LocalProcess, node, user => node.Passwords[user]);
    }

    private static Task<RabbitMqServer> StartContainerAsync(
        IDockerEndpointAuthenticationConfiguration engine, string image, CancellationToken cancellationToken) =>
        // The image refuses guest/guest: an administrator with a password of its own, made up per container, as are the
        // passwords of the project's users (the image creates them).
        StartContainerAsync(engine, image, "starguide", RandomNumberGenerator.GetHexString(24, lowercase: true), b => b, cancellationToken);

    /// <summary>
    /// Starts a container of <paramref name="image"/> through Testcontainers' RabbitMQ module, the administrator given as
    /// the module gives it (RABBITMQ_DEFAULT_USER, RABBITMQ_DEFAULT_PASS), the project's users with made-up passwords.
    /// </summary>
    /// <param name="configure">Anything more the caller needs on the module's builder (tests: a label, a variable).</param>
    internal static async Task<RabbitMqServer> StartContainerAsync(
        IDockerEndpointAuthenticationConfiguration engine,
        string image,
        string administrator,
        string password,
        Func<RabbitMqBuilder, RabbitMqBuilder> configure,
        CancellationToken cancellationToken)
    {
        var passwords = BrokerUsers.All.ToDictionary(u => u, _ => RandomNumberGenerator.GetHexString(24, lowercase: true));
        Uri UriOn(int port) =>
            new($"amqp://{Uri.EscapeDataString(administrator)}:{Uri.EscapeDataString(password)}@127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

        var builder = passwords.Aggregate(
            new RabbitMqBuilder().WithUsername(administrator).WithPassword(password),
            (b, p) => b.WithEnvironment(BrokerUsers.PasswordVariable(p.Key), p.Value));
        var (server, container) = await ServerContainer.StartAsync<RabbitMqBuilder, RabbitMqContainer>(
            engine,
            configure(builder),
            image,
            RabbitMqBuilder.RabbitMqPort,
            (port, ct) => ServerProbes.AmqpAsync(UriOn(port), ct),
            cancellationToken).ConfigureAwait(false);
        var uri = new Uri(container.GetConnectionString());
        return new RabbitMqServer(uri, uri.AbsoluteUri, ServerSources.Testcontainers, server, u => passwords[u]);
    }

    private IOwnedServer RequireOwned(string operation) =>
        ServerResolution.RequireOwned(_owned, operation, _kind, Source, $"{AmqpUri.Host}:{AmqpUri.Port}");
}
