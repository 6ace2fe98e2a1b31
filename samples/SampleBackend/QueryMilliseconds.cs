using System.Globalization;

namespace StarGuide.SampleBackend;

/// <summary>
/// A <c>?name=N</c> query parameter holding whole milliseconds in <c>0..max</c>: absent (<see cref="Value"/> null),
/// valid, or wrong, with an <see cref="Error"/> that names the parameter and the range.
/// </summary>
internal readonly record struct QueryMilliseconds(int? Value, string? Error)
{
    public static QueryMilliseconds Read(IQueryCollection query, string name, int max)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return new(null, null);
        }

        if (values.Count == 1
            && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds <= max)
        {
            return new(milliseconds, null);
        }

        return new(null, $"Query parameter '{name}' must be one whole number of milliseconds from 0 to {max}; " +
            $"got '{values}'.");
    }
}

internal static class Problems
{
    /// <summary>A 400 <c>application/problem+json</c> answer whose <c>detail</c> says what to fix.</summary>
    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);
}
