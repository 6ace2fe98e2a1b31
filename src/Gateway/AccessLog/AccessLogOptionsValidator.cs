using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.AccessLog;

internal sealed class AccessLogOptionsValidator : IValidateOptions<AccessLogOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessLogOptions options)
    {
        var failures = new List<string>();
        if (options.QueueCapacity < 1)
        {
            failures.Add($"{AccessLogOptions.SectionName}:QueueCapacity must be at least 1 (was {options.QueueCapacity}).");
        }
        if (options.Enabled && !string.IsNullOrWhiteSpace(options.Path))
        {
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
            if (Directory.Exists(options.Path))
            {
                failures.Add($"{AccessLogOptions.SectionName}:Path '{options.Path}' is a folder; give a file name.");
            }
            else if (folder is not null && !Directory.Exists(folder))
            {
                failures.Add($"{AccessLogOptions.SectionName}:Path '{options.Path}': the folder '{folder}' does not exist.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
