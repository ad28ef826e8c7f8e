/* Runs after every section script has registered itself (ConsolePages loads this last). */
window.Console.start();
