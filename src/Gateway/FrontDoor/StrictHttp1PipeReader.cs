using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace StarGuide.Gateway.FrontDoor;

/// <summary>
/// The connection's input as Kestrel reads it, run through an <see cref="Http1FramingValidator"/> first. Kestrel sees
/// a request's head only once all of it has been validated, so a refused request never reaches Kestrel and never an
/// upstream: the connection answers it with <paramref name="refuse"/> once Kestrel has finished the requests before
/// it, and ends. A refusal inside a chunked body whose head was already handed on ends the input at that point, which
/// Kestrel reports to the proxy as a truncated body (the upstream never sees the body complete).
/// Set as a connection feature, so that a request can tell it when it switches protocols.
/// </summary>
internal sealed class StrictHttp1PipeReader(PipeReader inner, Http1FramingValidator validator, Func<int, ValueTask> refuse)
    : PipeReader
{
    private ReadOnlySequence<byte> _buffer;
    private long _bufferStart;   // connection offset of _buffer.Start (what Kestrel has consumed)
    private long _exposedEnd;    // connection offset up to which Kestrel has been given bytes
    private bool _refused;
    private bool _examinedAll;  // Kestrel's last AdvanceTo examined everything it had been given

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(cancellationToken);
        return read.IsCompletedSuccessfully ? Filter(read.Result) : FilterAsync(read);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out var raw))
        {
            result = default;
            return false;
        }
        var filtered = Filter(raw);
        // Only a refusal completes asynchronously (it writes the answer), and that happens when Kestrel asks for the
        // next request's head, which it does with ReadAsync; waiting here is the fallback for a reader that does not.
        result = filtered.IsCompletedSuccessfully ? filtered.Result : filtered.AsTask().GetAwaiter().GetResult();
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var consumedBytes = _buffer.Slice(_buffer.Start, consumed).Length;
        var examinedEnd = _bufferStart + _buffer.Slice(_buffer.Start, examined).Length;
        _bufferStart += consumedBytes;
        _examinedAll = examinedEnd >= _exposedEnd;
        // Kestrel looked at all it was given; what is held back (an incomplete head) was looked at too, so the next
        // read waits for new bytes instead of returning the same ones at once. Not so when a refusal is pending:
        // the next read must come back at once to deliver it.
        inner.AdvanceTo(consumed, _examinedAll && !validator.Failed ? _buffer.End : examined);
    }

    /// <summary>
    /// A 101 Switching Protocols has been sent (<see cref="StrictHttp1UpgradeFeature"/>): from here on the input passes
    /// unexamined. Called by the request that upgraded, before anything reads the upgraded stream.
    /// </summary>
    public void ProtocolsSwitched() => validator.SwitchProtocols();

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    // Pooled: a read that has to wait for the network would otherwise allocate its state machine every time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> FilterAsync(ValueTask<ReadResult> read) => await Filter(await read);

    private ValueTask<ReadResult> Filter(ReadResult raw)
    {
        _buffer = raw.Buffer;
        var end = _bufferStart + raw.Buffer.Length;
        // A canceled read (Kestrel stopping the connection) is filtered like any other: Kestrel still parses what it is given.
        if (validator.PassThrough)
        {
            _exposedEnd = end;
            return new(raw);
        }
        if (validator.Offset < end && !validator.Failed)
        {
            validator.Process(raw.Buffer.Slice(validator.Offset - _bufferStart));
        }
        if (validator.PassThrough)
        {
            _exposedEnd = end;
            return new(raw);
        }
        if (!validator.Failed)
        {
            _exposedEnd = validator.InHead ? validator.RequestStart : end;
            // At the end of the input a head held back can never complete: say so, or Kestrel reads again at once, forever.
            return new(Expose(raw, _exposedEnd, raw.IsCompleted));
        }
        if (validator.RequestStart < _exposedEnd)
        {
            // The refused request's head was handed on already (the fault is in its chunked body): end the input at
            // the fault; Kestrel fails the body and closes.
            _exposedEnd = Math.Max(_exposedEnd, validator.Offset);
            return new(Expose(raw, _exposedEnd, completed: true));
        }
        _exposedEnd = validator.RequestStart;
        if (_bufferStart < validator.RequestStart)
        {
            // Requests before the refused one are still Kestrel's to finish; it comes back when they are done. If it
            // wants more than there is before the refused request, it reads the bytes differently: end the input.
            return new(Expose(raw, _exposedEnd, completed: _examinedAll));
        }
        return RefuseAsync(raw);
    }

    private async ValueTask<ReadResult> RefuseAsync(ReadResult raw)
    {
        if (!_refused)
        {
            _refused = true;
            await refuse(validator.ErrorStatus);
        }
        return Expose(raw, _bufferStart, completed: true);
    }

    private ReadResult Expose(ReadResult raw, long upTo, bool completed) =>
        new(raw.Buffer.Slice(0, upTo - _bufferStart), raw.IsCanceled, completed);
}
