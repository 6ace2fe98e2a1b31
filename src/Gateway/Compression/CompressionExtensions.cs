using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Compression;

internal static class CompressionExtensions
{
    /// <summary>Binds and validates <c>Gateway:Compression</c> at start and sets up brotli and gzip.</summary>
    public static WebApplicationBuilder AddGatewayCompression(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CompressionOptions>()
            .BindConfiguration(CompressionOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.MimeTypes.All(IsMediaType),
                $"{CompressionOptions.SectionName}:MimeTypes entries must look like 'type/subtype' (or 'type/*').")
            .ValidateOnStart();

        builder.Services.AddResponseCompression();
        builder.Services.AddOptions<ResponseCompressionOptions>().Configure<IOptions<CompressionOptions>>((compression, options) =>
        {
            compression.EnableForHttps = options.Value.EnableForHttps;
            compression.MimeTypes = options.Value.EffectiveMimeTypes;
            // Listed order is the preference when a client accepts both equally: brotli is smaller at equal cost.
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
        });
        // Optimal is zlib level 6, the seed's gzip_comp_level; the providers' default is Fastest.
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        builder.Services.Replace(ServiceDescriptor.Singleton<IResponseCompressionProvider, MinimumLengthCompressionProvider>());
        return builder;
    }

    public static WebApplication UseGatewayCompression(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<CompressionOptions>>().Value.Enabled)
        {
            app.UseMiddleware<VaryForUncompressedMiddleware>();
            app.UseResponseCompression();
        }
        return app;
    }

    private static bool IsMediaType(string value) =>
        value.Split('/') is [{ Length: > 0 } type, { Length: > 0 }] && !type.Contains('*');
}
