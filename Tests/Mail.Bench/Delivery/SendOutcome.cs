namespace Mail.Bench.Delivery;

/// <summary>The result of one POST /v1/send: delivered (201 and the recipient's status "delivered"), or why not.</summary>
public sealed record SendOutcome(bool Delivered, string? Error)
{
    /// <summary>A send that was acknowledged with 201 and filed in the recipient's mailbox.</summary>
    public static readonly SendOutcome Success = new(true, null);

    /// <summary>A send that failed, with a short description.</summary>
    public static SendOutcome Failure(string error) => new(false, error);
}
