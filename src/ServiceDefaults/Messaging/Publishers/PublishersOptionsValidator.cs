using Microsoft.Extensions.Options;

namespace StarGuide.ServiceDefaults.Messaging.Publishers;

/// <summary>Every kind of event names at least one broker user, and user names are names (no spaces, no control characters).</summary>
internal sealed class PublishersOptionsValidator : IValidateOptions<PublishersOptions>
{
    public ValidateOptionsResult Validate(string? name, PublishersOptions options)
    {
        var errors = new List<string>();
        foreach (var (group, users) in EventGroups.All(options))
        {
            var key = $"{PublishersOptions.SectionName}:{group}";
            var names = EventGroups.Split(users ?? "");
            if (names.Length == 0)
            {
                errors.Add($"{key} must name at least one RabbitMQ user (comma-separated), e.g. the publishing service's own user; it is empty.");
            }
            foreach (var user in names.Where(u => u.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
            {
                errors.Add($"{key} names '{user}', which is not a RabbitMQ user name (no spaces or control characters).");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
