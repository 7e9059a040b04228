(error) ERR syntax error
