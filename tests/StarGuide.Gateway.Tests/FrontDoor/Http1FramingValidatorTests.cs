using System.Buffers;
using System.Text;
using StarGuide.Gateway.FrontDoor;

namespace StarGuide.Gateway.Tests.FrontDoor;

/// <summary>
/// The strict HTTP/1.1 framing check on its own (RFC 9112): a connection's request bytes in, where it stands out. Every
/// row is fed whole, split in two at every offset, byte by byte and as a sequence of one-byte segments, and must come
/// out the same: a connection's bytes arrive in pieces of any size.
/// </summary>
public sealed class Http1FramingValidatorTests
{
    private const int LineLimit = 8192;
    private const int HeaderLimit = 32 * 1024;
    private const string First = "GET /first HTTP/1.1\r\nHost: g\r\n\r\n";
    private const string Next = "GET /next HTTP/1.1\r\nHost: g\r\n\r\n";
    private const string Partial = "GET /partial HTTP/1.1\r\nHo";
    private const string Chunked = "POST /a HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked\r\n\r\n";

    public static TheoryData<string, string> Accepted => new()
    {
        { "a request without a body", "GET /a HTTP/1.1\r\nHost: g\r\n\r\n" },
        { "HTTP/1.0 without headers", "GET /a HTTP/1.0\r\n\r\n" },
        { "empty lines before the request line", "\r\n\r\nGET /a HTTP/1.1\r\nHost: g\r\n\r\n" },
        { "OPTIONS with the asterisk form", "OPTIONS * HTTP/1.1\r\nHost: g\r\n\r\n" },
        { "a path ending in an asterisk", "GET /* HTTP/1.1\r\nHost: g\r\n\r\n" },
        { "every visible character in the target", "GET /~a!}{ HTTP/1.1\r\nHost: g\r\n\r\n" },
        { "OPTIONS with the asterisk form after another request", "GET /a HTTP/1.1\r\n\r\nOPTIONS * HTTP/1.1\r\n\r\n" },
        { "a target that only starts with an asterisk", "GET *x HTTP/1.1\r\nHost: g\r\n\r\n" },
        { "a method longer than eight bytes", "PROPPATCHX /a HTTP/1.1\r\nHost: g\r\n\r\n" },
        { "header values with tab, obs-text and nothing", "GET /a HTTP/1.1\r\nX-A: a\tb ~!\r\nX-B: \u0080\u00ff\r\nX-C:\r\n\r\n" },
        { "a long header name", "GET /a HTTP/1.1\r\nContent-Length-And-Then-Some: 5\r\n\r\n" },
        { "a header name that starts like a framing header", "GET /a HTTP/1.1\r\nContent-Lengths: 5\r\nTransfer-Encodingx: gzip\r\n\r\n" },
        { "a long header value", "GET /a HTTP/1.1\r\nX-A: " + new string('v', 100) + "\r\n\r\n" },
        { "Content-Length", "POST /a HTTP/1.1\r\nHost: g\r\nContent-Length: 5\r\n\r\nhello" },
        { "Content-Length of two digits", "POST /a HTTP/1.1\r\nContent-Length: 12\r\n\r\nhello world!" },
        { "Content-Length in any case, without white space", "POST /a HTTP/1.1\r\ncontent-LENGTH:5\r\n\r\nhello" },
        { "Content-Length in white space", "POST /a HTTP/1.1\r\nContent-Length: \t5 \t\r\n\r\nhello" },
        { "Content-Length with leading zeros", "POST /a HTTP/1.1\r\nContent-Length: 005\r\n\r\nhello" },
        { "Content-Length in 24 bytes of white space and digits", "POST /a HTTP/1.1\r\nContent-Length: 5" + new string(' ', 22) + "\r\n\r\nhello" },
        { "two requests with Content-Length", "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi" },
        { "Content-Length 0", "POST /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n" },
        { "a body that looks like requests", "POST /a HTTP/1.1\r\nContent-Length: 7\r\n\r\n\r\n\0 \n\r\u0001" },
        { "chunked", Chunked + "5\r\nhello\r\n0\r\n\r\n" },
        { "chunked in other cases", "POST /a HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\nPOST /b HTTP/1.1\r\nTransfer-Encoding: CHUNKED \r\n\r\n0\r\n\r\n" },
        { "several chunks", Chunked + "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n" },
        { "hex chunk sizes", Chunked + "9\r\n012345678\r\nA\r\n0123456789\r\na\r\n0123456789\r\nF\r\n0123456789abcde\r\nf\r\n0123456789abcde\r\n10\r\n0123456789abcdef\r\n1f\r\n0123456789abcdef0123456789abcde\r\n0\r\n\r\n" },
        { "a chunk longer than a chunk line may be", Chunked + "1388\r\n" + new string('x', 5000) + "\r\n0\r\n\r\n" },
        { "fifteen hex digits", Chunked + "000000000000005\r\nhello\r\n0\r\n\r\n" },
        { "chunk data that looks like framing", Chunked + "6\r\n\r\n0\r\n\n\r\n0\r\n\r\n" },
        { "chunk extensions", Chunked + "5;name\r\nhello\r\n5;a=b;c=\"quoted \\\" text\"\r\nhello\r\n0;last\r\n\r\n" },
        { "chunk extensions with white space", Chunked + "5 ;a\r\nhello\r\n5\t; \tb\r\nhello\r\n5;a \r\nhello\r\n5;a= b \r\nhello\r\n5;a=\"b\" ;c\r\nhello\r\n5 \r\nhello\r\n5;a = b\r\nhello\r\n5;a\t=\"b\"\r\nhello\r\n0\r\n\r\n" },
        { "quoted chunk extension values", Chunked + "5;a=\"\"\r\nhello\r\n5;a=\"\\\t\\ \\\u00e9\\!\\~\\\u0080\u00e9\u00ff\t!#[]~\"\r\nhello\r\n0\r\n\r\n" },
        { "trailers", Chunked + "5\r\nhello\r\n0\r\nX-Trailer: t\r\nY:\r\nZ: \u00e9\tz\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void A_request_that_follows_the_grammar_passes_and_the_next_one_is_found(string what, string request)
    {
        var bytes = request + Next + Partial;

        AssertEveryFeed(what, bytes, new(
            Failed: false, ErrorStatus: 0, RequestStart: request.Length + Next.Length, Offset: bytes.Length, InHead: true, PassThrough: false));
    }

    public static TheoryData<string, string, string, int> Refused => new()
    {
        // Each row: the bytes of the refused request before the byte that is refused, then from that byte on.
        { "an empty method", "", " /a HTTP/1.1\r\n\r\n", 400 },
        { "an invalid method character", "G", "(T /a HTTP/1.1\r\n\r\n", 400 },
        { "a tab after the method", "GET", "\t/a HTTP/1.1\r\n\r\n", 400 },
        { "a bare LF before the request line", "", "\nGET /a HTTP/1.1\r\n\r\n", 400 },
        { "a CR alone before the request line", "\r", "GET /a HTTP/1.1\r\n\r\n", 400 },
        { "two spaces in the request line", "GET ", " /a HTTP/1.1\r\n\r\n", 400 },
        { "a control character in the target", "GET /a", "\u0001b HTTP/1.1\r\n\r\n", 400 },
        { "a tab after the target", "GET /a", "\tHTTP/1.1\r\n\r\n", 400 },
        { "no version", "GET /a", "\r\n\r\n", 400 },
        { "an empty version", "GET /a \r", "\n\r\n", 400 },
        { "a CR not followed by LF in the request line", "GET /a HTTP/1.1\r", "x\r\n\r\n", 400 },
        { "a bare LF ending the request line", "GET /a HTTP/1.1", "\nHost: g\r\n\r\n", 400 },
        { "a space after the version", "GET /a HTTP/1.1", " \r\n\r\n", 400 },
        { "a nine-byte version", "GET /a HTTP/1.1", "0\r\n\r\n", 400 },
        { "a seven-byte version", "GET /a HTTP/11\r", "\n\r\n", 400 },
        { "http/1.1 in lower case", "GET /a http/1.1\r", "\n\r\n", 400 },
        { "a version not starting with HTTP/", "GET /a HTTPS1.1\r", "\n\r\n", 400 },
        { "a version with a letter for major", "GET /a HTTP/x.1\r", "\n\r\n", 400 },
        { "a version without the dot", "GET /a HTTP/1-1\r", "\n\r\n", 400 },
        { "a version with a letter for minor", "GET /a HTTP/1.x\r", "\n\r\n", 400 },
        { "HTTP/2.0", "GET /a HTTP/2.0\r", "\n\r\n", 505 },
        { "HTTP/1.2", "GET /a HTTP/1.2\r", "\n\r\n", 505 },
        { "HTTP/0.9", "GET /a HTTP/0.9\r", "\n\r\n", 505 },
        { "the HTTP/2 preface after a request", "PRI * HTTP/2.0\r", "\n\r\nSM\r\n\r\n", 505 },
        { "* as the target of a GET", "GET * HTTP/1.1\r", "\n\r\n", 400 },
        { "* as the target of another seven-letter method", "CONNECT * HTTP/1.1\r", "\n\r\n", 400 },
        { "* as the target of a method that starts like OPTIONS", "OPTIONSX * HTTP/1.1\r", "\n\r\n", 400 },
        { "* as the target of options in lower case", "options * HTTP/1.1\r", "\n\r\n", 400 },
        { "an obs-folded header line", "GET /a HTTP/1.1\r\nX-A: a\r\n", " b\r\n\r\n", 400 },
        { "white space before the first header", "GET /a HTTP/1.1\r\n", " Host: g\r\n\r\n", 400 },
        { "an invalid header-name character", "GET /a HTTP/1.1\r\nX", "(a): 1\r\n\r\n", 400 },
        { "white space before the colon", "GET /a HTTP/1.1\r\nHost", " : g\r\n\r\n", 400 },
        { "an empty header name", "GET /a HTTP/1.1\r\n", ": g\r\n\r\n", 400 },
        { "a header line without a colon", "GET /a HTTP/1.1\r\nHost", "\r\n\r\n", 400 },
        { "a control character in a header value", "GET /a HTTP/1.1\r\nX-A: a", "\u0001b\r\n\r\n", 400 },
        { "NUL in a header value", "GET /a HTTP/1.1\r\nX-A: a", "\0b\r\n\r\n", 400 },
        { "DEL in a header value", "GET /a HTTP/1.1\r\nX-A: a", "\u007fb\r\n\r\n", 400 },
        { "a bare LF ending a header line", "GET /a HTTP/1.1\r\nHost: g", "\nX-A: a\r\n\r\n", 400 },
        { "a CR not followed by LF in a header line", "GET /a HTTP/1.1\r\nHost: g\r", "X-A: a\r\n\r\n", 400 },
        { "a bare LF ending the head", "GET /a HTTP/1.1\r\nHost: g\r\n", "\n", 400 },
        { "a CR not followed by LF ending the head", "GET /a HTTP/1.1\r\nHost: g\r\n\r", "\r\n", 400 },
        { "a signed Content-Length +5", "POST /a HTTP/1.1\r\nContent-Length: +5\r", "\n\r\nhello", 400 },
        { "a signed Content-Length -0", "POST /a HTTP/1.1\r\nContent-Length: -0\r", "\n\r\n", 400 },
        { "an empty Content-Length", "POST /a HTTP/1.1\r\nContent-Length: \r", "\n\r\n", 400 },
        { "a Content-Length of white space", "POST /a HTTP/1.1\r\nContent-Length:  \t \r", "\n\r\n", 400 },
        { "a Content-Length list", "POST /a HTTP/1.1\r\nContent-Length: 5, 5\r", "\n\r\nhello", 400 },
        { "a Content-Length with a space inside", "POST /a HTTP/1.1\r\nContent-Length: 5 5\r", "\n\r\nhello", 400 },
        { "a hexadecimal Content-Length", "POST /a HTTP/1.1\r\nContent-Length: 0x5\r", "\n\r\nhello", 400 },
        { "a Content-Length ending in a letter", "POST /a HTTP/1.1\r\nContent-Length: 5a\r", "\n\r\nhello", 400 },
        { "a Content-Length of 19 digits", "POST /a HTTP/1.1\r\nContent-Length: 1000000000000000000\r", "\n\r\n", 400 },
        { "a Content-Length longer than any valid one", "POST /a HTTP/1.1\r\nContent-Length: 0000000000000000000000005\r", "\n\r\nhello", 400 },
        { "two Content-Length headers even when equal", "POST /a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r", "\n\r\nx", 400 },
        { "Transfer-Encoding gzip, chunked", "POST /a HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r", "\n\r\n0\r\n\r\n", 400 },
        { "Transfer-Encoding chunked, chunked", "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r", "\n\r\n0\r\n\r\n", 400 },
        { "Transfer-Encoding identity", "POST /a HTTP/1.1\r\nTransfer-Encoding: identity\r", "\n\r\n", 400 },
        { "a Transfer-Encoding longer than any valid one", "POST /a HTTP/1.1\r\nTransfer-Encoding: xxxxxxxxxxxxxxxxxxchunked\r", "\n\r\n0\r\n\r\n", 400 },
        { "two Transfer-Encoding headers", "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r", "\n\r\n0\r\n\r\n", 400 },
        // Refused once the head is complete, after its last byte.
        { "chunked and a Content-Length", "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunked and a Content-Length, nothing after the head", "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", "", 400 },
        { "a Content-Length and chunked", "POST /a HTTP/1.1\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n", "0\r\n\r\n", 400 },
        { "no chunk size", Chunked, ";a\r\nhello\r\n0\r\n\r\n", 400 },
        { "an empty chunk-size line", Chunked, "\r\n0\r\n\r\n", 400 },
        { "a chunk size that is not hexadecimal", Chunked, "g\r\n0\r\n\r\n", 400 },
        { "a chunk size followed by a letter", Chunked + "5", "g\r\nhello\r\n0\r\n\r\n", 400 },
        { "sixteen hex digits", Chunked + "000000000000000", "5\r\nhello\r\n0\r\n\r\n", 400 },
        { "a bare ; as chunk extension", Chunked + "5;", "\r\nhello\r\n0\r\n\r\n", 400 },
        { "a bare ; and white space", Chunked + "5; \t", "\r\nhello\r\n0\r\n\r\n", 400 },
        { "two ; in a row", Chunked + "5;", ";a\r\nhello\r\n0\r\n\r\n", 400 },
        { "an invalid token character in a chunk extension", Chunked + "5;a", "@b\r\nhello\r\n0\r\n\r\n", 400 },
        { "a control character in a chunk extension", Chunked + "5;a", "\u0001\r\nhello\r\n0\r\n\r\n", 400 },
        { "NUL in a chunk extension", Chunked + "5;a", "\0b\r\nhello\r\n0\r\n\r\n", 400 },
        { "two names in a chunk extension", Chunked + "5;a ", "b\r\nhello\r\n0\r\n\r\n", 400 },
        { "a chunk extension with = and no value", Chunked + "5;a=", "\r\nhello\r\n0\r\n\r\n", 400 },
        { "a chunk extension value that is not a token", Chunked + "5;a=", "@\r\nhello\r\n0\r\n\r\n", 400 },
        { "a chunk extension token value followed by junk", Chunked + "5;a=b", "@\r\nhello\r\n0\r\n\r\n", 400 },
        { "a chunk extension value followed by a second =", Chunked + "5;a=b", "=c\r\nhello\r\n0\r\n\r\n", 400 },
        { "an unterminated quoted chunk extension value", Chunked + "5;a=\"b", "\r\nhello\r\n0\r\n\r\n", 400 },
        { "a control character in a quoted chunk extension value", Chunked + "5;a=\"b", "\u0001\"\r\nhello\r\n0\r\n\r\n", 400 },
        { "DEL in a quoted chunk extension value", Chunked + "5;a=\"b", "\u007f\"\r\nhello\r\n0\r\n\r\n", 400 },
        { "a quoted pair of CR", Chunked + "5;a=\"b\\", "\r\"\r\nhello\r\n0\r\n\r\n", 400 },
        { "a quoted pair of DEL", Chunked + "5;a=\"b\\", "\u007f\"\r\nhello\r\n0\r\n\r\n", 400 },
        { "a quoted pair of a control character", Chunked + "5;a=\"b\\", "\u001f\"\r\nhello\r\n0\r\n\r\n", 400 },
        { "junk after a quoted chunk extension value", Chunked + "5;a=\"b\"", "c\r\nhello\r\n0\r\n\r\n", 400 },
        { "junk after white space after the chunk size", Chunked + "5 ", "x\r\nhello\r\n0\r\n\r\n", 400 },
        { "a bare LF ending the chunk-size line", Chunked + "5", "\nhello\r\n0\r\n\r\n", 400 },
        { "a CR not followed by LF in the chunk-size line", Chunked + "5\r", "hello\r\n0\r\n\r\n", 400 },
        { "chunk data longer than its size", Chunked + "5\r\nhello", "!\r\n0\r\n\r\n", 400 },
        { "a bare LF after chunk data", Chunked + "5\r\nhello", "\n0\r\n\r\n", 400 },
        { "a CR not followed by LF after chunk data", Chunked + "5\r\nhello\r", "0\r\n\r\n", 400 },
        { "a bare LF ending the chunked trailer", Chunked + "5\r\nhello\r\n0\r\n", "\n", 400 },
        { "a CR not followed by LF ending the trailer section", Chunked + "0\r\n\r", "\r\n", 400 },
        { "a trailer line starting with white space", Chunked + "0\r\n", " X: t\r\n\r\n", 400 },
        { "an invalid trailer-name character", Chunked + "0\r\nX", "(a): t\r\n\r\n", 400 },
        { "a trailer line without a colon", Chunked + "0\r\nX-Trailer", "\r\n\r\n", 400 },
        { "a control character in a trailer value", Chunked + "0\r\nX: t", "\u0001\r\n\r\n", 400 },
        { "a bare LF ending a trailer line", Chunked + "0\r\nX: t", "\n\r\n", 400 },
        { "a CR not followed by LF in a trailer line", Chunked + "0\r\nX: t\r", "\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_request_a_strict_parser_refuses_is_refused_at_its_first_bad_byte(string what, string before, string from, int status)
    {
        // After a request that passes: the refused request's start is where the connection's answers stop.
        AssertEveryFeed(what, First + before + from, new(
            Failed: true, ErrorStatus: status, RequestStart: First.Length, Offset: First.Length + before.Length, InHead: false, PassThrough: false));
    }

    public static TheoryData<string, bool> Unfinished => new()
    {
        { "", false },
        { "\r", true },
        { "\r\n", false },
        { "G", true },
        { "GET /a HTTP/1.1\r", true },
        { "GET /a HTTP/1.1\r\nHost: g\r\n\r", true },
        { "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhe", false },
        { Chunked + "5;a=\"b", false },
        { Chunked + "5\r\nhel", false },
        { Chunked + "0\r\nX: t", false },
    };

    [Theory]
    [MemberData(nameof(Unfinished))]
    public void Only_an_unfinished_head_is_in_the_head(string bytes, bool inHead)
    {
        AssertEveryFeed(Printable(bytes), bytes, new(
            Failed: false, ErrorStatus: 0, RequestStart: 0, Offset: bytes.Length, InHead: inHead, PassThrough: false));
    }

    [Fact]
    public void A_request_starts_after_the_empty_lines_before_it()
    {
        AssertEveryFeed("CRLF CRLF G", "\r\n\r\nG", new(
            Failed: false, ErrorStatus: 0, RequestStart: 4, Offset: 5, InHead: true, PassThrough: false));
    }

    [Fact]
    public void A_body_of_the_largest_Content_Length_is_skipped()
    {
        var head = "POST /a HTTP/1.1\r\nContent-Length: 999999999999999999\r\n\r\n";

        AssertEveryFeed("18 digits", head + "body bytes", new(
            Failed: false, ErrorStatus: 0, RequestStart: 0, Offset: head.Length + 10, InHead: false, PassThrough: false));
    }

    [Fact]
    public void The_HTTP2_preface_on_a_new_connection_passes_through_unexamined()
    {
        const string preface = "PRI * HTTP/2.0\r\n";

        AssertEveryFeed("preface", preface + "\r\nSM\r\n\r\n\0\0\u0001", new(
            Failed: false, ErrorStatus: 0, RequestStart: 0, Offset: preface.Length, InHead: false, PassThrough: true));
        AssertEveryFeed("preface after an empty line", "\r\n" + preface + "\r\nSM\r\n\r\n", new(
            Failed: false, ErrorStatus: 0, RequestStart: 2, Offset: 2 + preface.Length, InHead: false, PassThrough: true));
    }

    [Theory]
    [InlineData("PRI /a HTTP/2.0\r\n")]
    [InlineData("PRIX * HTTP/2.0\r\n")]
    [InlineData("PR * HTTP/2.0\r\n")]
    [InlineData("PRI * HTTP/2.1\r\n")]
    [InlineData("pri * HTTP/2.0\r\n")]
    [InlineData("GET * HTTP/2.0\r\n")]
    public void Only_the_exact_HTTP2_preface_passes_through(string requestLine)
    {
        AssertEveryFeed(requestLine, requestLine + "\r\n", new(
            Failed: true, ErrorStatus: 505, RequestStart: 0, Offset: requestLine.Length - 1, InHead: false, PassThrough: false));
    }

    [Fact]
    public void After_a_switch_of_protocols_nothing_is_examined_not_even_after_a_refusal()
    {
        var validator = new Http1FramingValidator(LineLimit, HeaderLimit);
        validator.Process(Sequence(First));
        validator.SwitchProtocols();
        validator.Process(Sequence("\0\n garbage"));

        Assert.True(validator.PassThrough);
        Assert.False(validator.Failed);
        Assert.Equal(First.Length, validator.Offset);

        var refused = new Http1FramingValidator(LineLimit, HeaderLimit);
        refused.Process(Sequence("\0"));
        Assert.True(refused.Failed);
        refused.SwitchProtocols();
        refused.Process(Sequence("more"));
        Assert.True(refused.PassThrough);
        Assert.Equal(0, refused.Offset);
    }

    [Fact]
    public void Nothing_after_a_refused_byte_is_examined()
    {
        var validator = new Http1FramingValidator(LineLimit, HeaderLimit);
        validator.Process(Sequence("GET /a HTTP/1.1\r\nX-A: \0"));
        var offset = validator.Offset;
        validator.Process(Sequence("GET /a HTTP/1.1\r\n\r\n"));

        Assert.True(validator.Failed);
        Assert.Equal(400, validator.ErrorStatus);
        Assert.Equal(offset, validator.Offset);
    }

    [Fact]
    public void The_request_line_may_be_as_long_as_the_limit_and_not_a_byte_longer()
    {
        // The limit counts the request line and its CR (as Kestrel's MaxRequestLineSize), every request afresh.
        const string line = "GET /abc HTTP/1.1\r";
        var request = line + "\nHost: g\r\n\r\n";

        AssertEveryFeed("at the limit", request + request, new(
            Failed: false, ErrorStatus: 0, RequestStart: request.Length, Offset: 2 * request.Length, InHead: false, PassThrough: false),
            lineLimit: line.Length);
        for (var limit = 0; limit < line.Length; limit++)
        {
            // Whichever part of the line goes over: method, space, target, space, version or CR.
            AssertEveryFeed($"limit {limit}", request, new(
                Failed: true, ErrorStatus: 414, RequestStart: 0, Offset: limit, InHead: false, PassThrough: false),
                lineLimit: limit);
        }
    }

    [Fact]
    public void The_headers_may_be_as_long_as_the_limit_and_not_a_byte_longer()
    {
        // The limit counts the header lines with their CRLF and the CR of the empty line, every request afresh.
        const string line = "GET /a HTTP/1.1\r\n";
        const string headers = "Host: g\r\nX-A: b\r\n\r";
        var request = line + headers + "\n";

        AssertEveryFeed("at the limit", request + request, new(
            Failed: false, ErrorStatus: 0, RequestStart: request.Length, Offset: 2 * request.Length, InHead: false, PassThrough: false),
            headerLimit: headers.Length);
        for (var limit = 0; limit < headers.Length; limit++)
        {
            // Whichever part goes over: name, colon, value, CR, LF or the final CR.
            AssertEveryFeed($"limit {limit}", request, new(
                Failed: true, ErrorStatus: 431, RequestStart: 0, Offset: line.Length + limit, InHead: false, PassThrough: false),
                headerLimit: limit);
        }
    }

    [Fact]
    public void Trailers_count_towards_the_header_limit_afresh()
    {
        // Of a trailer line, its name and value count (not the colon nor the CRLF).
        const string head = "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r";
        const int headers = 29;
        var fits = Chunked.Replace("Host: g\r\n", "") + "0\r\nX:" + new string('t', headers - 1) + "\r\n\r\n";
        var over = Chunked.Replace("Host: g\r\n", "") + "0\r\nX:" + new string('t', headers) + "\r\n\r\n";
        Assert.Equal(headers, head.Length - "POST /a HTTP/1.1\r\n".Length);

        AssertEveryFeed("at the limit", fits + Next, new(
            Failed: false, ErrorStatus: 0, RequestStart: fits.Length, Offset: fits.Length + Next.Length, InHead: false, PassThrough: false),
            headerLimit: headers);
        AssertEveryFeed("over the limit", over, new(
            Failed: true, ErrorStatus: 431, RequestStart: 0, Offset: over.Length - 5, InHead: false, PassThrough: false),
            headerLimit: headers);
    }

    [Fact]
    public void A_chunk_size_line_may_be_4096_bytes_and_not_a_byte_longer()
    {
        // Counted with its CRLF; a name and a token value each end at a byte that is counted once. Every line afresh.
        static string Line(int length) => "5;" + new string('n', length - 6) + "=v\r\n";
        var fits = Chunked + Line(4096) + "hello\r\n" + Line(4096) + "hello\r\n0\r\n\r\n";
        var over = Chunked + "5\r\nhello\r\n" + Line(4097) + "hello\r\n0\r\n\r\n";

        AssertEveryFeed("4096", fits + Next, new(
            Failed: false, ErrorStatus: 0, RequestStart: fits.Length, Offset: fits.Length + Next.Length, InHead: false, PassThrough: false),
            splits: false);
        AssertEveryFeed("4097", over, new(
            Failed: true, ErrorStatus: 400, RequestStart: 0, Offset: Chunked.Length + 10 + 4096, InHead: false, PassThrough: false),
            splits: false);
    }

    private sealed record Outcome(bool Failed, int ErrorStatus, long RequestStart, long Offset, bool InHead, bool PassThrough);

    /// <summary>
    /// Feeds <paramref name="text"/> (Latin-1) in every way and checks the outcome. The offset is exact when bytes come
    /// one at a time; given more at once, a refusal may stop at the start of the run of bytes that holds the bad one.
    /// </summary>
    private static void AssertEveryFeed(string what, string text, Outcome expected,
        int lineLimit = LineLimit, int headerLimit = HeaderLimit, bool splits = true)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        var feeds = new List<(string How, ReadOnlyMemory<byte>[] Calls, bool Exact)>
        {
            ("whole", [bytes], false),
            ("byte by byte", [.. Enumerable.Range(0, bytes.Length).Select(i => (ReadOnlyMemory<byte>)bytes.AsMemory(i, 1))], true),
        };
        if (splits)
        {
            feeds.AddRange(Enumerable.Range(1, Math.Max(0, bytes.Length - 1))
                .Select(i => ($"split at {i}", new ReadOnlyMemory<byte>[] { bytes.AsMemory(0, i), bytes.AsMemory(i) }, false)));
        }
        foreach (var (how, calls, exact) in feeds)
        {
            var validator = new Http1FramingValidator(lineLimit, headerLimit);
            foreach (var call in calls)
            {
                validator.Process(new ReadOnlySequence<byte>(call));
            }
            AssertOutcome(what, how, expected, validator, exact);
        }

        var segmented = new Http1FramingValidator(lineLimit, headerLimit);
        segmented.Process(Segments(bytes));
        AssertOutcome(what, "one-byte segments", expected, segmented, exact: true);
    }

    private static void AssertOutcome(string what, string how, Outcome expected, Http1FramingValidator validator, bool exact)
    {
        var actual = new Outcome(validator.Failed, validator.ErrorStatus, validator.RequestStart, validator.Offset, validator.InHead, validator.PassThrough);
        if (!exact && expected.Failed && actual.Offset >= expected.RequestStart && actual.Offset <= expected.Offset)
        {
            actual = actual with { Offset = expected.Offset };
        }
        if (expected != actual)
        {
            Assert.Fail($"{what}, {how}: expected {expected}, got {actual}");
        }
    }

    private static ReadOnlySequence<byte> Sequence(string text) => new(Encoding.Latin1.GetBytes(text));

    private static ReadOnlySequence<byte> Segments(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }
        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private static string Printable(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n");

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
