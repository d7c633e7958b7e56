namespace Mail.Frontends.Hosting;

/// <summary>Which of the <see cref="SessionDeadlines"/> a session missed.</summary>
public enum SessionTimeout
{
    /// <summary>No command began within the idle time (the autologout timer).</summary>
    Idle,
    /// <summary>A command began but did not arrive in full within the command time.</summary>
    Command,
}
