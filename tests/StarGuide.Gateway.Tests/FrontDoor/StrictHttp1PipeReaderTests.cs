using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using StarGuide.Gateway.FrontDoor;

namespace StarGuide.Gateway.Tests.FrontDoor;

/// <summary>
/// What Kestrel is given to read of a connection's input once strict framing sits in front of it: the bytes of the
/// requests that passed, never the head of one that did not; for that one, the refusal, once the requests before it
/// are done. Over a real <see cref="Pipe"/>, reading as Kestrel does (read, advance, read).
/// </summary>
public sealed class StrictHttp1PipeReaderTests
{
    private const string First = "GET /first HTTP/1.1\r\nHost: g\r\n\r\n";
    private const string Bad = "GET /bad HTTP/1.1\r\nX-A: \0\r\n\r\n";
    private const string ChunkedHead = "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly Pipe _pipe = new();
    private readonly List<int> _refusals = [];
    private readonly StrictHttp1PipeReader _reader;

    public StrictHttp1PipeReaderTests() =>
        _reader = new StrictHttp1PipeReader(_pipe.Reader, new Http1FramingValidator(8192, 32 * 1024), status =>
        {
            _refusals.Add(status);
            return ValueTask.CompletedTask;
        });

    [Fact]
    public async Task Complete_requests_are_handed_on_as_they_are()
    {
        await WriteAsync(First + "POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi");

        var result = await ReadAsync();

        Assert.Equal(First + "POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi", Text(result));
        Assert.False(result.IsCompleted);
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task An_unfinished_head_is_held_back_and_the_next_read_waits_for_more_bytes()
    {
        await WriteAsync(First + "GET /sec");

        var result = await ReadAsync();
        Assert.Equal(First, Text(result));
        _reader.AdvanceTo(result.Buffer.End);

        var next = _reader.ReadAsync();
        Assert.False(next.IsCompleted, "the read came back with nothing new to give");
        await WriteAsync("ond HTTP/1.1\r\n\r\n");
        result = await next.AsTask().WaitAsync(Bound);
        Assert.Equal("GET /second HTTP/1.1\r\n\r\n", Text(result));
    }

    [Fact]
    public async Task The_bytes_Kestrel_did_not_consume_are_given_again_with_the_new_ones()
    {
        await WriteAsync("GET /a HTTP/1.1\r\nHost: g\r\n\r\n");

        var result = await ReadAsync();
        _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        await WriteAsync("GET /b");
        result = await ReadAsync();

        Assert.Equal("GET /a HTTP/1.1\r\nHost: g\r\n\r\n", Text(result));
        _reader.AdvanceTo(result.Buffer.GetPosition(7), result.Buffer.End);
        await WriteAsync(" HTTP/1.1\r\n\r\n");
        result = await ReadAsync();
        Assert.Equal("HTTP/1.1\r\nHost: g\r\n\r\nGET /b HTTP/1.1\r\n\r\n", Text(result));
    }

    [Fact]
    public async Task A_refused_first_request_is_answered_once_and_ends_the_input()
    {
        await WriteAsync(Bad + First);

        var result = await ReadAsync();
        Assert.Equal(0, result.Buffer.Length);
        Assert.True(result.IsCompleted);
        _reader.AdvanceTo(result.Buffer.End);
        result = await ReadAsync();

        Assert.Equal(0, result.Buffer.Length);
        Assert.True(result.IsCompleted);
        Assert.Equal([400], _refusals);
    }

    [Fact]
    public async Task A_refusal_waits_until_the_requests_before_it_are_consumed()
    {
        await WriteAsync(First + "GET /second HTTP/1.1\r\n\r\n" + "GET /a HTTP/2.0\r\n\r\n");

        var result = await ReadAsync();
        Assert.Equal(First + "GET /second HTTP/1.1\r\n\r\n", Text(result));
        Assert.False(result.IsCompleted);
        Assert.Empty(_refusals);

        // Kestrel consumes the first request and comes back for the second: still no answer for the refused one.
        _reader.AdvanceTo(result.Buffer.GetPosition(First.Length), result.Buffer.GetPosition(First.Length));
        result = await ReadAsync();
        Assert.Equal("GET /second HTTP/1.1\r\n\r\n", Text(result));
        Assert.Empty(_refusals);

        // Once it has consumed them all, the next read comes back at once with the answer given.
        _reader.AdvanceTo(result.Buffer.End);
        result = await ReadAsync();
        Assert.True(result.IsCompleted);
        Assert.Equal(0, result.Buffer.Length);
        Assert.Equal([505], _refusals);
    }

    [Fact]
    public async Task A_reader_that_wants_more_than_the_requests_before_a_refused_one_is_given_the_end_of_input()
    {
        await WriteAsync(First + Bad);

        var result = await ReadAsync();
        Assert.False(result.IsCompleted);
        _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        result = await ReadAsync();

        Assert.Equal(First, Text(result));
        Assert.True(result.IsCompleted);
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task A_fault_in_a_chunked_body_whose_head_was_handed_on_ends_the_input_at_the_fault()
    {
        await WriteAsync(ChunkedHead);
        var result = await ReadAsync();
        Assert.Equal(ChunkedHead, Text(result));
        _reader.AdvanceTo(result.Buffer.End);

        await WriteAsync("5;a@b\r\nhello\r\n0\r\n\r\n");
        result = await ReadAsync();

        Assert.Equal("5;a", Text(result));
        Assert.True(result.IsCompleted);
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task A_fault_in_a_chunked_body_that_arrives_with_its_head_is_refused_before_the_head_is_handed_on()
    {
        await WriteAsync(ChunkedHead + "5;a@b\r\nhello\r\n0\r\n\r\n");

        var result = await ReadAsync();

        Assert.Equal(0, result.Buffer.Length);
        Assert.True(result.IsCompleted);
        Assert.Equal([400], _refusals);
    }

    [Fact]
    public async Task At_the_end_of_the_input_an_unfinished_head_is_never_handed_on_and_the_end_is()
    {
        await WriteAsync(First + "GET /unfinished");
        await _pipe.Writer.CompleteAsync();

        var result = await ReadAsync();
        Assert.Equal(First, Text(result));
        Assert.True(result.IsCompleted);
        _reader.AdvanceTo(result.Buffer.End);
        result = await ReadAsync();

        Assert.Equal(0, result.Buffer.Length);
        Assert.True(result.IsCompleted, "a reader told neither more bytes nor the end reads again at once, forever");
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task After_the_HTTP2_preface_every_byte_is_handed_on()
    {
        const string h2 = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\u0004\u0004";
        await WriteAsync(h2);

        var result = await ReadAsync();
        Assert.Equal(h2, Text(result));
        _reader.AdvanceTo(result.Buffer.End);
        await WriteAsync("\0\n;");
        result = await ReadAsync();

        Assert.Equal("\0\n;", Text(result));
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task After_protocols_are_switched_every_byte_is_handed_on()
    {
        await WriteAsync(First);
        var result = await ReadAsync();
        _reader.AdvanceTo(result.Buffer.End);

        _reader.ProtocolsSwitched();
        await WriteAsync(Bad);
        result = await ReadAsync();

        Assert.Equal(Bad, Text(result));
        Assert.False(result.IsCompleted);
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task A_canceled_read_hands_on_no_more_than_any_other()
    {
        await WriteAsync(First + Bad);
        _reader.CancelPendingRead();

        var result = await ReadAsync();

        Assert.True(result.IsCanceled);
        Assert.Equal(First, Text(result));
        Assert.Empty(_refusals);
    }

    [Fact]
    public async Task TryRead_hands_on_what_ReadAsync_would()
    {
        Assert.False(_reader.TryRead(out _));

        await WriteAsync(First + "GET /b");
        Assert.True(_reader.TryRead(out var result));
        Assert.Equal(First, Text(result));
        _reader.AdvanceTo(result.Buffer.End);

        await WriteAsync(" HTTP/1.1\r\nX-A: \0\r\n\r\n");
        Assert.True(_reader.TryRead(out result));
        Assert.True(result.IsCompleted);
        Assert.Equal(0, result.Buffer.Length);
        Assert.Equal([400], _refusals);
    }

    [Fact]
    public async Task Completing_the_reader_completes_the_connection_input()
    {
        _reader.Complete();

        var flush = await _pipe.Writer.WriteAsync(new byte[] { 1 });

        Assert.True(flush.IsCompleted);
    }

    private async Task WriteAsync(string text) => await _pipe.Writer.WriteAsync(Encoding.Latin1.GetBytes(text));

    private async Task<ReadResult> ReadAsync() => await _reader.ReadAsync().AsTask().WaitAsync(Bound);

    private static string Text(ReadResult result) => Encoding.Latin1.GetString(result.Buffer.ToArray());
}
