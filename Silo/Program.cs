namespace Mail.Silo; public static class Program { public static int Main() => 0; }
