using System.Text;
using Microsoft.Net.Http.Headers;

namespace PartnerAccounts.Api.Http;

/// <summary>
/// A request body whose Content-Type names a charset .NET cannot decode is 415 <c>unsupported_media_type</c>. Left to the
/// endpoint, the framework's JSON reader throws an InvalidOperationException for it, which would be a 500.
/// </summary>
public sealed class CharsetMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody && MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) && mediaType.Charset.HasValue && !IsKnown(mediaType.Charset.Value!))
        {
            throw new BadHttpRequestException("The request body's charset is not supported.", StatusCodes.Status415UnsupportedMediaType);
        }

        return next(context);
    }

    // The same lookup the framework's JSON reader makes (Encoding.GetEncoding), so whatever passes here it can read.
    private static bool IsKnown(string charset)
    {
        if (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            Encoding.GetEncoding(charset);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
