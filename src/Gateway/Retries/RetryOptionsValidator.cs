using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Retries;

/// <summary>Rejects a bad <c>Gateway:Retries</c> section at start, naming the key.</summary>
internal sealed class RetryOptionsValidator : IValidateOptions<RetryOptions>
{
    private const int MaxBufferedBodyBytesLimit = 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, RetryOptions options) =>
        options.MaxBufferedBodyBytes is < 0 or > MaxBufferedBodyBytesLimit
            ? ValidateOptionsResult.Fail(
                $"{RetryOptions.SectionName}:MaxBufferedBodyBytes must be between 0 and {MaxBufferedBodyBytesLimit}; it is {options.MaxBufferedBodyBytes}.")
            : ValidateOptionsResult.Success;
}
