using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Transport;

internal static class TransportExtensions
{
    private const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Binds <c>Gateway:Transport</c>. With <see cref="TransportOptions.InlineScheduling"/> it sets the runtime's
    /// inline-completions switch, an environment variable the sockets engine reads once when it first starts, so this
    /// must run before anything opens a socket (it is called right after the builder is created).
    /// </summary>
    public static WebApplicationBuilder AddTransport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.SectionName);
        var inline = builder.Configuration.GetSection(TransportOptions.SectionName).Get<TransportOptions>()?.InlineScheduling == true;
        if (inline)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }
        builder.Services.AddOptions<SocketTransportOptions>().Configure<IOptions<TransportOptions>>((sockets, options) =>
            sockets.UnsafePreferInlineScheduling = options.Value.InlineScheduling);
        return builder;
    }
}
