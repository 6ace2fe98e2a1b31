using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.PassiveHealth;

/// <summary>Rejects a bad <c>Gateway:PassiveHealth</c> section at start, naming the key.</summary>
internal sealed class PassiveHealthOptionsValidator : IValidateOptions<PassiveHealthOptions>
{
    public ValidateOptionsResult Validate(string? name, PassiveHealthOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.FailureStatusCodes.Length; i++)
        {
            var code = options.FailureStatusCodes[i];
            if (code is < 400 or > 599)
            {
                errors.Add($"{PassiveHealthOptions.SectionName}:FailureStatusCodes:{i} must be an error status (400-599); it is {code}.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
