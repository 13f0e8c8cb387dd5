__thread int tls;
