namespace StarGuide.Testing;

/// <summary>
/// Keeps the last lines a server printed, so a start-up failure can show why without keeping a chatty
/// broker's whole output in memory for the length of a test run.
/// </summary>
public sealed class OutputRingBuffer
{
    private readonly Queue<string> _lines;
    private readonly int _capacity;
    private readonly Lock _gate = new();

    public OutputRingBuffer(int capacity = 400)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _lines = new Queue<string>(capacity);
    }

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == _capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    /// <summary>The last <paramref name="count"/> lines, oldest first, one per line.</summary>
    public string Tail(int count = 40)
    {
        lock (_gate)
        {
            var skip = Math.Max(0, _lines.Count - count);
            return string.Join(System.Environment.NewLine, _lines.Skip(skip));
        }
    }
}
